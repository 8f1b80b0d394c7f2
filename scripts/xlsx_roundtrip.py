#!/usr/bin/env python3
"""Round trip of the data templates through real spreadsheet software.

dabiao writes the xlsx template of every entity of the built-in rulebooks and
the CSV template of each; the rows of the built-in 2024 samples go into both:
- into the CSV templates as text (what a provider's CSV holds),
- into the workbook with openpyxl, codes and text as text cells in the
  template's text-formatted columns, numbers as number cells,
- and into a copy of that workbook passed through LibreOffice
  (`soffice --headless --convert-to xlsx`), which rewrites every part.
`dabiao check --format json` on the three must give the same report once the
file names are set aside (and the cell references that only a workbook's
errors carry). A fourth workbook stores two 18-digit 统一社会信用代码 as number
cells, as Excel does when the column is not text, and must get the 15-digit
explanation for each, both records rejected and counted, no duplicate key.

usage: scripts/xlsx_roundtrip.py [--dabiao PATH] [--no-libreoffice]
exit:  0 all equal · 1 a difference or a failed step · 64 usage
"""
import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLES = os.path.join(ROOT, "Sources/DabiaoCore/Resources/samples/gansu-2024")
# Every entity the samples have a file for: the built-in rulebooks need them all.
ENTITIES = sorted(f[:-len(".csv")] for f in os.listdir(SAMPLES) if f.endswith(".csv"))
AS_OF = "2024-10-31"
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, **kw)


def label(header):
    """The field label of a header cell: `全日制在校生数（人）` -> `全日制在校生数`."""
    return re.sub(r"（[^（）]*）$", "", header.strip())


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def sample_rows(entity, header):
    """The sample's data rows, reordered into the template's columns by label."""
    rows = read_csv(os.path.join(SAMPLES, entity + ".csv"))
    index = {label(h): i for i, h in enumerate(rows[0])}
    order = [index.get(label(h)) for h in header]
    return [[(r[i] if i is not None and i < len(r) else "") for i in order] for r in rows[1:] if any(c.strip() for c in r)]


def check(dabiao, data, out):
    r = run([dabiao, "check", data, "--as-of", AS_OF, "--format", "json", "--output", out])
    if r.returncode not in (0, 1):
        sys.exit(f"dabiao check {data}: exit {r.returncode}\n{r.stderr}")
    with open(out, encoding="utf-8") as f:
        return json.load(f)


CELL = re.compile(r"（单元格 [A-Z]+[0-9]+）| \(cell [A-Z]+[0-9]+\)")


def normalise(report):
    """File names become the entity's name; checksums of data files go."""
    paths = sorted(((i["path"], i["entity"]) for i in report["inputs"]), key=lambda p: -len(p[0]))

    def walk(v):
        if isinstance(v, dict):
            return {k: walk(x) for k, x in v.items() if k != "sha256" or "entity" not in v}
        if isinstance(v, list):
            return [walk(x) for x in v]
        if isinstance(v, str):
            for p, e in paths:
                v = v.replace(p, "<" + e + ">")
            return CELL.sub("", v)
        return v

    r = walk(report)
    r["inputs"] = sorted(r["inputs"], key=lambda i: i["entity"])
    return r


def first_difference(a, b, where="$"):
    if type(a) is not type(b):
        return f"{where}: {a!r} != {b!r}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{where}.{k}: only in one report"
            d = first_difference(a[k], b[k], f"{where}.{k}")
            if d:
                return d
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{where}: {len(a)} items != {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, f"{where}[{i}]")
            if d:
                return d
        return None
    return None if a == b else f"{where}: {a!r} != {b!r}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dabiao", default=os.path.join(ROOT, ".build/debug/dabiao"))
    ap.add_argument("--no-libreoffice", action="store_true")
    a = ap.parse_args()
    try:
        import openpyxl
    except ImportError:
        print("openpyxl is missing: python3 -m pip install openpyxl", file=sys.stderr)
        return 1
    soffice = None if a.no_libreoffice else (shutil.which("soffice") or shutil.which("libreoffice"))
    tmp = tempfile.mkdtemp(prefix="dabiao-xlsx-")
    dabiao = a.dabiao

    template = os.path.join(tmp, "template.xlsx")
    r = run([dabiao, "template", *ENTITIES, "--format", "xlsx", "--output", template])
    if r.returncode != 0:
        sys.exit(f"dabiao template --format xlsx: exit {r.returncode}\n{r.stderr}")
    again = os.path.join(tmp, "again.xlsx")
    run([dabiao, "template", *ENTITIES, "--format", "xlsx", "--output", again])
    if open(template, "rb").read() != open(again, "rb").read():
        sys.exit("two runs of dabiao template --format xlsx wrote different bytes")

    # The CSV templates, filled with the sample rows after their two rows.
    csv_dir = os.path.join(tmp, "csv")
    os.mkdir(csv_dir)
    rows_of = {}
    for e in ENTITIES:
        path = os.path.join(csv_dir, e + ".csv")
        r = run([dabiao, "template", e, "--output", path])
        if r.returncode != 0:
            sys.exit(f"dabiao template {e}: exit {r.returncode}\n{r.stderr}")
        head = read_csv(path)
        rows_of[e] = sample_rows(e, head[0])
        with open(path, "w", encoding="utf-8-sig", newline="") as f:
            csv.writer(f, lineterminator="\r\n").writerows(head + rows_of[e])

    # The workbook, filled the way a provider's program would: text in the
    # text-formatted columns, numbers where the column is General and the
    # cell holds a plain number, anything else (约100, 1,234, —) as text.
    book = openpyxl.load_workbook(template)
    sheet_of = {}
    for e, ws in zip(ENTITIES, book.worksheets):
        sheet_of[e] = ws
        header = [c.value for c in ws[1]]
        if header != read_csv(os.path.join(csv_dir, e + ".csv"))[0]:
            sys.exit(f"{ws.title}: the workbook's header differs from the CSV template's")
        hint = ws.cell(row=2, column=1).value or ""
        if not hint.startswith("#"):
            sys.exit(f"{ws.title}: row 2 is not the # hint row")
        text_columns = set()
        for i in range(1, len(header) + 1):
            letter = openpyxl.utils.get_column_letter(i)
            if ws.column_dimensions[letter].number_format == "@":
                text_columns.add(i)
        if not text_columns:
            sys.exit(f"{ws.title}: no column is formatted as text")
        for n, row in enumerate(rows_of[e], start=3):
            for i, v in enumerate(row, start=1):
                if v == "":
                    continue
                cell = ws.cell(row=n, column=i)
                if i in text_columns:
                    cell.number_format = "@"
                    cell.value = v
                elif NUMBER.match(v.strip()):
                    f = float(v)
                    cell.value = int(f) if f.is_integer() and "." not in v else f
                else:
                    cell.value = v
    filled = os.path.join(tmp, "filled-openpyxl.xlsx")
    book.save(filled)

    # Two 18-digit codes typed into number cells: what Excel keeps of them.
    ent = sheet_of["enterprise"]
    for n, code in ((3, 916201001234567890), (4, 916201001234567891)):
        ent.cell(row=n, column=1).number_format = "General"
        ent.cell(row=n, column=1).value = code
    broken = os.path.join(tmp, "numbers-as-keys.xlsx")
    book.save(broken)

    reports = {"csv": check(dabiao, csv_dir, os.path.join(tmp, "csv.json")),
               "openpyxl": check(dabiao, filled, os.path.join(tmp, "openpyxl.json"))}
    if soffice:
        lo_dir = os.path.join(tmp, "lo")
        profile = "file://" + os.path.join(tmp, "lo-profile")
        r = run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx",
                 "--outdir", lo_dir, filled], timeout=300)
        converted = os.path.join(lo_dir, os.path.basename(filled))
        if r.returncode != 0 or not os.path.exists(converted):
            sys.exit(f"LibreOffice could not convert the workbook (exit {r.returncode})\n{r.stdout}{r.stderr}")
        lo_book = openpyxl.load_workbook(converted)
        if not any(ws.data_validations.dataValidation for ws in lo_book.worksheets):
            sys.exit("the drop-down lists did not survive LibreOffice")
        libre = os.path.join(tmp, "filled-libreoffice.xlsx")
        os.replace(converted, libre)
        reports["libreoffice"] = check(dabiao, libre, os.path.join(tmp, "libreoffice.json"))
    else:
        print("SKIP LibreOffice: soffice is not installed (apt-get install -y libreoffice-calc)", file=sys.stderr)

    base = normalise(reports["csv"])
    records = sum(i["records"] for i in base["inputs"])
    if records != sum(len(rows_of[e]) for e in ENTITIES):
        sys.exit(f"the CSV templates read {records} records, {sum(len(rows_of[e]) for e in ENTITIES)} were written")
    failed = False
    for name, report in reports.items():
        if name == "csv":
            continue
        d = first_difference(base, normalise(report))
        if d:
            print(f"FAIL {name} workbook and CSV templates differ: {d}", file=sys.stderr)
            failed = True
        else:
            print(f"ok   {name}: same report as the CSV templates ({records} records, {len(base['results'])} results, "
                  f"{len(base['dataErrors'])} data errors)")

    b = check(dabiao, broken, os.path.join(tmp, "broken.json"))
    errors = [x for x in b["dataErrors"] if x["column"] == "统一社会信用代码" and x["line"] in (3, 4)]
    inputs = {i["entity"]: i for i in b["inputs"]}
    ok = (len(errors) == 2 and all("15 位有效数字" in x["reason"] and "文本" in x["reason"] for x in errors)
          and all(x["value"] and "e+17" in x["value"] for x in errors)
          and not any("记录标识重复" in x["reason"] for x in b["dataErrors"] if x["column"] == "统一社会信用代码")
          and inputs["enterprise"]["rejected"] == 2 and inputs["enterprise"]["records"] == len(rows_of["enterprise"]))
    if ok:
        print(f"ok   18-digit keys stored as numbers: rows 3 and 4 rejected with the 15-digit explanation ({errors[0]['value']})")
    else:
        print("FAIL 18-digit keys stored as numbers: " + json.dumps(errors or b["dataErrors"][:5], ensure_ascii=False), file=sys.stderr)
        failed = True
    if failed:
        print(f"reports kept in {tmp}", file=sys.stderr)
        return 1
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
