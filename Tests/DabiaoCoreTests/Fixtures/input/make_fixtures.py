#!/usr/bin/env python3
"""Regenerates the input fixtures next to this script (Tests/DabiaoCoreTests/Input).

Needs python3 with openpyxl (pip install openpyxl) and, for same/school_libreoffice.xlsx,
LibreOffice (`soffice`). The schema is school.rules in this folder.

same/      one data set in every form dabiao reads: the report must be the same for all.
xlsx/      spreadsheet layouts, value forms and data errors at known cells.
malformed/ inputs with rejected records and bad cells, for the reconciliation test.
"""
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

import openpyxl
from openpyxl.styles import Alignment
from openpyxl.utils.datetime import CALENDAR_MAC_1904

HERE = os.path.dirname(os.path.abspath(__file__))

HEADER = ["学校标识码", "学校名称", "办学层次", "全日制在校生数（人）", "专任教师数", "校舍建筑面积(平方米)",
          "教学仪器设备总值（万元）", "双师型教师比例", "是否示范校", "建校日期", "所属市州", "备注"]

# Each cell as a CSV/JSON provider types it, and as a spreadsheet holds it:
# (text, typed) where typed is what openpyxl writes (None = write the text).
D = datetime.datetime
ROWS = [
    [("6262000001", None), ("甲职业中专", None), ("中职", None), ("2400", 2400), ("100", 100), ("60,000", 60000),
     ("900", 900), ("45%", (0.45, "0%")), ("是", True), ("2005-09-01", D(2005, 9, 1)), ("兰州市", None), ("", None)],
    [("6262000002", None), ("乙职业学校", None), ("中职", None), ("1,200", 1200), ("80", 80), ("20000", 20000),
     ("300.5", 300.5), ("28%", (0.28, "0%")), ("否", False), ("2012/3/15", D(2012, 3, 15)), ("兰州市", None), ("新校区在建", None)],
    [("6262000003", None), ("丙技工学校", None), ("中职", None), ("800", 800), ("—", None), ("16000", 16000),
     ("260", 260), ("33.3%", (0.333, "0.0%")), ("√", None), ("2016年9月1日", D(2016, 9, 1)), ("天水市", None), ("—", None)],
    [("6262000004", None), ("丁职业技术学院", None), ("高职", None), ("10,500", 10500), ("520", 520), ("262,500", 262500),
     ("4000", 4000), ("52%", (0.52, "0%")), ("Y", True), ("1998.07.01", D(1998, 7, 1)), ("天水市", None), ("", None)],
    [("6262000005", None), ("戊职业中专", None), ("中职", None), ("１５００", 1500), ("70", 70), ("30000", 30000),
     ("380", 380), ("无", None), ("×", None), ("2010-10-10", D(2010, 10, 10)), ("酒泉市", None), ("", None)],
    [("6262000006", None), ("己职业学校", None), ("中职", None), ("900", 900), ("45", 45), ("17100", 17100),
     ("-", None), ("31%", (0.31, "0%")), ("N", False), ("2014-01-01", D(2014, 1, 1)), ("酒泉市", None), ("含分校, 两个校区", None)],
    [("6262000007", None), ("庚职业学校", None), ("中职", None), ("1,000", 1000), ("40", 40), ("25000", 25000),
     ("250", 250), ("0.4", 0.4), ("false", False), ("2000年1月1日", D(2000, 1, 1)), ("", None), ("", None)],
]


def csv_field(text):
    if any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_text():
    lines = [",".join(HEADER)] + [",".join(csv_field(t) for t, _ in row) for row in ROWS]
    return "\r\n".join(lines) + "\r\n"


def json_value(text, typed):
    """JSON as a provider writes it: numbers as numbers, the rest as text."""
    if typed is True or typed is False:
        return typed
    if isinstance(typed, (int, float)) and not isinstance(typed, bool):
        return typed
    return text


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def set_cell(ws, row, col, text, typed):
    cell = ws.cell(row=row, column=col)
    if typed is None:
        if text != "":
            cell.value = text
    elif isinstance(typed, tuple):
        cell.value, cell.number_format = typed
    elif isinstance(typed, datetime.datetime):
        cell.value = typed
        cell.number_format = "yyyy-mm-dd"
    else:
        cell.value = typed
    return cell


def school_workbook(epoch1904=False):
    wb = openpyxl.Workbook()
    if epoch1904:
        wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "学校"
    for c, h in enumerate(HEADER, 1):
        ws.cell(row=1, column=c, value=h)
    for r, row in enumerate(ROWS, 2):
        for c, (text, typed) in enumerate(row, 1):
            set_cell(ws, r, c, text, typed)
    return wb


def same():
    d = os.path.join(HERE, "same")
    text = csv_text()
    write(os.path.join(d, "school.csv"), text.encode("utf-8"))
    write(os.path.join(d, "school_bom.csv"), b"\xef\xbb\xbf" + text.encode("utf-8"))
    write(os.path.join(d, "school_utf16le.csv"), b"\xff\xfe" + text.encode("utf-16-le"))
    write(os.path.join(d, "school_utf16be.csv"), b"\xfe\xff" + text.encode("utf-16-be"))
    write(os.path.join(d, "school_gb18030.csv"), text.encode("gb18030"))
    # Records one per line so their line numbers are the CSV's.
    records = [json.dumps({h: json_value(t, v) for h, (t, v) in zip(HEADER, row) if t != ""}, ensure_ascii=False)
               for row in ROWS]
    write(os.path.join(d, "school.json"), ("[\n" + ",\n".join(records) + "\n]\n").encode("utf-8"))
    wb = school_workbook()
    wb.save(os.path.join(d, "school.xlsx"))
    school_workbook(epoch1904=True).save(os.path.join(d, "school_1904.xlsx"))
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:
        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(tmp, "school_libreoffice.csv")
            with open(src, "wb") as f:
                f.write(text.encode("utf-8"))
            # 44 = comma, 34 = quote, 76 = UTF-8, 1 = first line; en-US so 1,200 is a number.
            subprocess.run([soffice, "--headless", "--infilter=CSV:44,34,76,1,,1033", "--convert-to", "xlsx",
                            "--outdir", tmp, src], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            shutil.copy(os.path.join(tmp, "school_libreoffice.xlsx"), os.path.join(d, "school_libreoffice.xlsx"))
    else:
        print("soffice not found: same/school_libreoffice.xlsx not regenerated", file=sys.stderr)


def layout():
    """A sheet as offices fill it: a merged title, a two-level header, 市州 merged down, a hint row."""
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "填表说明"
    notes["A1"] = "请在“学校”表中填写，金额单位为万元。"
    ws = wb.create_sheet("学校")
    ws["A1"] = "2024年学校基本办学条件统计表"
    ws.merge_cells("A1:L1")
    ws["A1"].alignment = Alignment(horizontal="center")
    top = ["学校标识码", "学校名称", "办学层次", "师生情况", None, "办学条件", None, None, "是否示范校", "建校日期", "所属市州", "备注"]
    sub = [None, None, None, "全日制在校生数", "专任教师数", "校舍建筑面积（平方米）", "教学仪器设备总值/万元", "双师型教师比例(％)",
           None, None, None, None]
    for c, v in enumerate(top, 1):
        if v is not None:
            ws.cell(row=2, column=c, value=v)
    for c, v in enumerate(sub, 1):
        if v is not None:
            ws.cell(row=3, column=c, value=v)
    for col in "ABCIJKL":
        ws.merge_cells(f"{col}2:{col}3")
    ws.merge_cells("D2:E2")
    ws.merge_cells("F2:H2")
    ws.append(["#填写说明：标识码为10位数字", None, None, None, None, None, None, None, None, None, None, None])
    data = [
        ["6262000001", "甲职业中专", "中职", 2400, 100, 60000, 900, 45, "是", D(2005, 9, 1), "兰州市", None],
        ["6262000002", "乙职业学校", "中职", 1200, 80, 20000, 300.5, 28, "否", D(2012, 3, 15), None, None],
        [None] * 12,
        ["6262000003", "丙技工学校", "中职", 800, 40, 16000, 260, 33, "是", D(2016, 9, 1), "天水市", None],
    ]
    for row in data:
        ws.append(row)
    for r in range(5, ws.max_row + 1):
        ws.cell(row=r, column=10).number_format = "yyyy-mm-dd"
    ws.merge_cells("K5:K6")  # 兰州市 for both of the first two schools
    wb.save(os.path.join(HERE, "xlsx", "layout.xlsx"))


def errors():
    """One data error of each class, each at a known cell (see InputXLSXTests)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    header = HEADER[:11] + ["校舍建筑面积（亩）"]
    ws.append(header)
    rows = [
        # row 2: fine
        ["E01", "甲", "中职", 1000, 50, 30000, 500, 0.4, True, D(2005, 9, 1), "兰州市"],
        # row 3: text that is not a number in D (students)
        ["E02", "乙", "中职", "约100", 50, 30000, 500, 0.4, True, D(2005, 9, 1), "兰州市"],
        # row 4: fractional head count in E
        ["E03", "丙", "中职", 1000, 12.5, 30000, 500, 0.4, True, D(2005, 9, 1), "兰州市"],
        # row 5: not an allowed level in C, not a bool in I
        ["E04", "丁", "初中", 1000, 50, 30000, 500, 0.4, "有", D(2005, 9, 1), "兰州市"],
        # row 6: impossible date text in J, a date-formatted cell in the number column F
        ["E05", "戊", "中职", 1000, 50, D(2024, 1, 5), 500, 0.4, False, "2024-02-30", "兰州市"],
        # row 7: no key
        [None, "己", "中职", 1000, 50, 30000, 500, 0.4, True, D(2005, 9, 1), "兰州市"],
        # row 8: duplicate key of row 2
        ["E01", "庚", "中职", 1000, 50, 30000, 500, 0.4, True, D(2005, 9, 1), "兰州市"],
        # row 9: a value beyond the header (N9), a date with a time of day (J9)
        ["E06", "辛", "中职", 1000, 50, 30000, 500, 0.4, True, D(2005, 9, 1, 8, 30), "兰州市", None, None, "多余"],
        # row 10: Excel error value in G, number in a bool column I (2)
        ["E07", "壬", "中职", 1000, 50, 30000, "#DIV/0!", 0.4, 2, D(2005, 9, 1), "兰州市"],
    ]
    for row in rows:
        ws.append(row)
    for r in range(2, ws.max_row + 1):
        ws.cell(row=r, column=10).number_format = "yyyy-mm-dd"
    ws["F6"].number_format = "yyyy-mm-dd"
    ws["G10"].value = "#DIV/0!"
    ws["G10"].data_type = "e"
    wb.save(os.path.join(HERE, "xlsx", "errors.xlsx"))


def multi():
    """A workbook whose file name is no entity: the sheet named 学校 is the school input."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "说明"
    ws["A1"] = "本工作簿包含学校数据"
    ws = wb.create_sheet("学校")
    ws.append(HEADER)
    ws.append(["6262000001", "甲职业中专", "中职", 2400, 100, 60000, 900, 0.45, True, D(2005, 9, 1), "兰州市", None])
    for r in range(2, ws.max_row + 1):
        ws.cell(row=r, column=10).number_format = "yyyy-mm-dd"
    ws = wb.create_sheet("Sheet3")
    ws["A1"] = "其他"
    wb.save(os.path.join(HERE, "xlsx", "填报数据.xlsx"))


def values():
    """Every header form and value form in one sheet (see InputFormsTests)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "学校"
    ws.append(["学校标识码", " 学校名称 ", "办学层次", "全日制在校生数/人", "专任教师数（人）", "校舍建筑面积[平方米]",
               "教学仪器设备总值(万元)", "双师型教师比例（%）", "是否示范校", "建校日期", "所属　市州", "备注"])
    base = ["名", "中职"]
    rows = [
        ["V01", *base, "1,234", "１２０", "30,000.5", "１００", "45%", "是", "2024-10-31"],
        ["V02", *base, 1234, 120, 30000.5, 100, 45, True, D(2024, 10, 31)],
        ["V03", *base, " 1234 ", "120", "30000.5", "100", "45", "√", "2024/10/31"],
        ["V04", *base, 1234, 120, 30000.5, 100, 45, "×", "2024.10.31"],
        ["V05", *base, 1234, 120, 30000.5, 100, 45, "Y", "2024年10月31日"],
        ["V06", *base, 1234, 120, 30000.5, 100, 45, "N", 45596],
        ["V07", *base, 1234, 120, 30000.5, 100, 45, "true", "2024/10/31 0:00:00"],
        ["V08", *base, 1234, 120, 30000.5, 100, 45, "false", "20241031"],
        ["V09", *base, 1234, 120, 30000.5, 100, 45, 1, "２０２４－１０－３１"],
        ["V10", *base, 1234, 120, 30000.5, 100, 45, 0, D(2024, 10, 31)],
        ["V11", *base, 1234, 120, 30000.5, 100, 45, "1", D(2024, 10, 31)],
        ["V12", *base, 1234, 120, 30000.5, 100, 45, "0", D(2024, 10, 31)],
        ["V13", *base, 1234, 120, 30000.5, 100, 45, False, D(2024, 10, 31)],
        ["V14", *base, "—", "-", "/", "无", "N/A", "——", "空"],
        ["V15", *base, "　1234　", "１２０", "３０，０００.５", "100", "４５％", "ＴＲＵＥ", "2024-10-31"],
    ]
    for row in rows:
        ws.append(row)
    for r in range(2, ws.max_row + 1):
        if isinstance(ws.cell(row=r, column=10).value, datetime.datetime):
            ws.cell(row=r, column=10).number_format = "yyyy-mm-dd"
    wb.save(os.path.join(HERE, "xlsx", "values.xlsx"))


def malformed():
    d = os.path.join(HERE, "malformed")
    head = ",".join(HEADER) + "\n"
    ok = "中职,1000,50,30000,500,40%,是,2005-09-01,兰州市,"
    csv = head + "".join([
        f"M01,甲,{ok}\n",
        f"M01,重复,{ok}\n",                                  # duplicate key
        f",无标识,{ok}\n",                                    # no key
        f"—,标记,{ok}\n",                                     # key is an empty marker
        "M02,乙,中职,约100,50.5,三万,500,40%,有,2024-02-30,兰州市,\n",  # bad cells, record kept
        f"M03,丙,{ok},多余,更多\n",                            # extra cells
        "M04,丁,初中,1000,50,30000,500,40%,是,2005-09-01,兰州市,\n",    # not one of
        f"M03,丙二,{ok}\n",                                   # duplicate again
    ])
    write(os.path.join(d, "school.csv"), csv.encode("utf-8"))
    write(os.path.join(d, "school_gb18030.csv"), csv.encode("gb18030"))
    recs = [
        {"学校标识码": "J01", "学校名称": "甲", "办学层次": "中职", "全日制在校生数": 1000, "专任教师数": 50,
         "校舍建筑面积": 30000, "教学仪器设备总值": 5000000, "双师型教师比例": 0.4, "是否示范校": True,
         "建校日期": "2005-09-01"},
        {"学校标识码": "J01", "学校名称": "重复"},
        {"学校名称": "无标识"},
        {"学校标识码": "J02", "全日制在校生数": [1, 2], "专任教师数": "五十", "是否示范校": "maybe", "未知字段": 1},
    ]
    write(os.path.join(d, "school.jsonl"), ("\n".join(json.dumps(r, ensure_ascii=False) for r in recs) + "\n").encode("utf-8"))


def raw_xlsx(path, sheet_xml, compress=zipfile.ZIP_DEFLATED, shared=None):
    """A minimal workbook written part by part, for shapes openpyxl will not produce."""
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="学校" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    }
    with zipfile.ZipFile(path, "w", compress) as z:
        for name, text in parts.items():
            z.writestr(name, text)
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)


def inline_row(number, cells):
    out = f'<row r="{number}">'
    for ref, value in cells:
        if isinstance(value, str):
            out += f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'
        else:
            out += f'<c r="{ref}"><v>{value}</v></c>'
    return out + "</row>"


def hostile():
    """Spreadsheets built to hurt: each must be an input error or a quick load (FuzzRegressionTests)."""
    d = os.path.join(HERE, "hostile")
    os.makedirs(d, exist_ok=True)
    head = '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    letters = "ABCDEFGHIJ"
    header = inline_row(1, [(f"{letters[i]}1", h) for i, h in enumerate(HEADER[:10])])
    record = inline_row(2, [("A2", "H1"), ("B2", "甲"), ("C2", "中职"), ("D2", 1000), ("E2", 50), ("F2", 30000),
                            ("G2", 500), ("H2", 0.4), ("I2", "是"), ("J2", "2005-09-01")])
    # 40 MB of spaces in the sheet: a ratio far above 200:1 and above the 8 MiB exemption.
    raw_xlsx(os.path.join(d, "bomb.xlsx"), head + header + record + " " * (40 << 20) + "</sheetData></worksheet>")
    # One merged range over the whole grid, anchored on a value.
    raw_xlsx(os.path.join(d, "huge_merge.xlsx"), head + header + record +
             "</sheetData><mergeCells><mergeCell ref=\"A2:XFD1048576\"/><mergeCell ref=\"K1:XFD1\"/></mergeCells></worksheet>")
    # Cells at the far corner of the grid, and a header cell beyond every field.
    raw_xlsx(os.path.join(d, "far_cells.xlsx"), head + header + record +
             inline_row(1048576, [("XFD1048576", 1)]) + "</sheetData></worksheet>")
    # Thousands of header cells that all look like the key.
    wide = inline_row(1, [(f"{col}1", "学校标识码") for col in excel_columns(4000)])
    raw_xlsx(os.path.join(d, "wide_header.xlsx"), head + wide + inline_row(2, [("A2", "W1")]) + "</sheetData></worksheet>")


def excel_columns(n):
    out = []
    for i in range(n):
        name, v = "", i + 1
        while v:
            v, r = divmod(v - 1, 26)
            name = chr(65 + r) + name
        out.append(name)
    return out


def main():
    same()
    os.makedirs(os.path.join(HERE, "xlsx"), exist_ok=True)
    layout()
    errors()
    multi()
    values()
    malformed()
    hostile()


if __name__ == "__main__":
    main()
