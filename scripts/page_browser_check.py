#!/usr/bin/env python3
"""The offline self-check page (`dabiao page`, docs/page.md) in a real browser.

Builds the page for the built-in rulebooks and opens it from file:// in
headless Chromium with the network off (DevTools offline emulation and every
host name unresolvable), then asserts:

0. every script of the page parses as ECMAScript 2018 (acorn, bundled in node);
   the page's JavaScript inflate equals node's zlib on stored, fixed and
   dynamic deflate streams and refuses truncated or garbage input;
1. the page carries the evaluator (evaluator.js); without it this check FAILS,
   it never skips silently: a page that cannot check is not a page;
2. the form: a failing sample school typed into the school form, field by
   field, alone and then beside the other sample files, shows the failure and
   its fix and is in the rectification list; beside the files the counts
   equal `dabiao check` on the same data (the sample folder with that one
   school; the CLI does not check a school alone);
3. files: the sample folder (six files opened at once), a copy whose
   school.csv is GB18030, a copy with school.xlsx written by openpyxl, and
   that again with DecompressionStream deleted (the JavaScript inflate then
   runs, and the page records it): each file mapped to its entity, the
   summary equal to `dabiao check --format json --show all` on that folder,
   the data problems listed with the CLI's file, line, column and value;
4. the JSON the page exports is read by `dabiao diff` against the CLI's
   report for the same folder, with no result newly failing or fixed; the
   CSV export has a BOM and one row per result;
5. the print layout hides the controls and keeps the results; the English
   switch relabels the page; the 2023 samples opened as the baseline give
   the CLI's summary with --baseline; with one ruleset ticked, the page
   lists as many results as the CLI has for that ruleset;
6. no request leaves the page: the DevTools log shows only file:, data: and
   blob: URLs and the page's Resource Timing list is empty.

With --screenshots DIR it saves page-form.png and page-results.png there after
the form check (the README's pictures: docs/). With --install (as root) it
installs chromium, chromium-driver, openpyxl and selenium first; without them
it FAILS (--allow-skip skips instead, as .ci/run does for non-root users).
--page PAGE checks a given page instead of making one.

usage: scripts/page_browser_check.py [--bin .build/debug/dabiao] [--work DIR] [--install] [--allow-skip]
                                     [--screenshots DIR] [--page PAGE.html]
exit:  0 passed · 1 a check failed or the page cannot check · 2 usage
"""

import argparse
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time

AS_OF = "2024-10-31"
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SAMPLES = os.path.join(ROOT, "Sources", "DabiaoCore", "Resources", "samples", "gansu-2024")
# A school of the samples that fails ZZ-01 (students) and ZZ-14 (track), each with a fix.
FAILING_SCHOOL = "6262100007"
ALLOWED_SCHEMES = ("file:", "data:", "blob:", "about:", "chrome:", "devtools:")


def install():
    if os.geteuid() != 0:
        sys.exit("--install needs root (apt-get)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update"], check=True, stdout=subprocess.DEVNULL, env=env)
    subprocess.run(["apt-get", "install", "-y", "chromium", "chromium-driver", "fonts-noto-cjk"],
                   check=True, stdout=subprocess.DEVNULL, env=env)
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "selenium", "openpyxl"], check=True)


def browser():
    for c in ("chromium", "chromium-browser", "google-chrome"):
        p = shutil.which(c)
        if p:
            return p
    return None


def cli_summary(bin_path, folder, out):
    """`dabiao check` on a data folder; exit 1 (failures found) is expected."""
    r = subprocess.run([bin_path, "check", "--as-of", AS_OF, "--format", "json", "--show", "all", folder, "--output", out])
    if r.returncode not in (0, 1):
        sys.exit("dabiao check %s exited %d" % (path, r.returncode))
    with open(out, encoding="utf-8") as f:
        return json.load(f)["summary"]


def number_or_text(s):
    """A cell as a person would type it into Excel: numbers as numbers."""
    if re.fullmatch(r"-?\d+", s):
        return int(s)
    if re.fullmatch(r"-?\d+\.\d+", s):
        return float(s)
    return s


def write_xlsx(rows, path):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "学校"
    for i, row in enumerate(rows):
        ws.append(row if i == 0 else [number_or_text(c) if c != "" else None for c in row])
    wb.save(path)


def es2018_check(html):
    """The page's scripts parsed by acorn (bundled in node) as ECMAScript 2018:
    nothing newer (?., ??, class fields) that a 2019-era Chromium would refuse.
    Returns the scripts that fail, or None when node cannot say."""
    node = shutil.which("node")
    if not node:
        print("note: node is not installed; the ES2018 syntax check is not run")
        return None
    bodies = re.findall(r'<script id="([^"]+)">(.*?)</script>', html, re.S)
    prog = ("const acorn = require('internal/deps/acorn/acorn/dist/acorn');"
            "const s = JSON.parse(require('fs').readFileSync(0, 'utf8')); const bad = [];"
            "for (const [id, body] of s) { try { acorn.parse(body, {ecmaVersion: 2018}); }"
            " catch (e) { bad.push(id + ': ' + e.message); } } console.log(JSON.stringify(bad));")
    r = subprocess.run([node, "--expose-internals", "-e", prog], input=json.dumps(bodies), capture_output=True, text=True)
    if r.returncode != 0:
        print("note: this node has no bundled acorn; the ES2018 syntax check is not run (%s)" % r.stderr.strip()[:200])
        return None
    return json.loads(r.stdout)


INFLATE_CHECK = r"""
const zlib = require('zlib');
const src = JSON.parse(require('fs').readFileSync(0, 'utf8'));
eval(src.slice(src.indexOf('var LBASE'), src.indexOf('function hasNativeInflate')) + ';globalThis.inflateJS = inflateJS;');
let seed = 1;
function rnd(k, alpha) {
  const b = Buffer.alloc(k);
  for (let i = 0; i < k; i++) { seed = (seed * 1103515245 + 12345) % 2147483648; b[i] = alpha ? 97 + seed % alpha : seed % 256; }
  return b;
}
const bad = []; let n = 0;
for (const size of [0, 1, 10, 1000, 70000, 300000])
  for (const alpha of [0, 3, 26])
    for (const opt of [{level: 0}, {strategy: zlib.constants.Z_FIXED}, {level: 1}, {level: 9}]) {
      const data = rnd(size, alpha); n++;
      try {
        const out = inflateJS(new Uint8Array(zlib.deflateRawSync(data, opt)));
        if (Buffer.compare(Buffer.from(out), data) !== 0) bad.push([size, alpha, opt]);
      } catch (e) { bad.push([size, alpha, opt, e.message]); }
    }
for (const broken of [zlib.deflateRawSync(rnd(5000, 3)).slice(0, 100), Buffer.from([0xff, 0xff, 0xff, 0xff])]) {
  n++;
  try { inflateJS(new Uint8Array(broken)); bad.push('broken input accepted'); } catch (e) { /* refused, as it must be */ }
}
console.log(JSON.stringify({cases: n, bad: bad}));
"""


def inflate_check(html):
    """The page's JavaScript inflate (the fallback for browsers without
    DecompressionStream) against node's zlib: stored, fixed-Huffman and
    dynamic blocks, 0 B to 300 kB; truncated and garbage input refused."""
    node = shutil.which("node")
    m = re.search(r'<script id="dabiao-ui">(.*?)</script>', html, re.S)
    if not node or not m:
        print("note: node is not installed; the inflate check is not run")
        return None
    r = subprocess.run([node, "-e", INFLATE_CHECK], input=json.dumps(m.group(1)), capture_output=True, text=True)
    if r.returncode != 0:
        return {"cases": 0, "bad": [r.stderr.strip()[:300]]}
    return json.loads(r.stdout)


def make_driver(chrome, download_dir):
    from selenium import webdriver
    opts = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--host-resolver-rules=MAP * ~NOTFOUND", "--window-size=1280,1800", "--lang=zh-CN"):
        opts.add_argument(arg)
    opts.binary_location = chrome
    opts.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    opts.add_experimental_option("prefs", {"download.default_directory": download_dir,
                                           "download.prompt_for_download": False})
    service = webdriver.ChromeService(executable_path=shutil.which("chromedriver"))
    driver = webdriver.Chrome(options=opts, service=service)
    driver.set_page_load_timeout(60)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.emulateNetworkConditions",
                           {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": download_dir})
    return driver


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=".build/debug/dabiao")
    ap.add_argument("--work", default="/tmp/dabiao-page-check")
    ap.add_argument("--install", action="store_true")
    ap.add_argument("--allow-skip", action="store_true")
    ap.add_argument("--screenshots", help="save page-form.png and page-results.png in this folder")
    ap.add_argument("--page", help="check this page instead of making one")
    a = ap.parse_args()
    if a.install:
        try:
            import selenium  # noqa: F401
            import openpyxl  # noqa: F401
            have = browser() and shutil.which("chromedriver")
        except ImportError:
            have = False
        if not have:
            install()

    def unavailable(why):
        if a.allow_skip:
            print("SKIP page browser check: " + why)
            return 0
        print("FAIL page browser check: " + why + " (run with --install as root, or --allow-skip)")
        return 1

    try:
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import Select, WebDriverWait
        import openpyxl  # noqa: F401
    except ImportError:
        return unavailable("selenium or openpyxl is not installed")
    chrome = browser()
    if not chrome or not shutil.which("chromedriver"):
        return unavailable("chromium or chromedriver is not installed")

    failures, passes = [], []

    def expect(ok, what):
        print(("ok   " if ok else "FAIL ") + what)
        (passes if ok else failures).append(what)
        return ok

    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    downloads = os.path.join(a.work, "downloads")
    os.makedirs(downloads)
    page = a.page or os.path.join(a.work, "page.html")
    if not a.page:
        subprocess.run([a.bin, "page", "--output", page], check=True)
    html = open(page, encoding="utf-8").read()
    es2018 = es2018_check(html)
    if es2018 is not None:
        expect(es2018 == [], "every script of the page parses as ES2018 (older browsers): %s" % (es2018 or "yes"))
    inflated = inflate_check(html)
    if inflated is not None:
        expect(inflated["cases"] > 70 and inflated["bad"] == [],
               "the JavaScript inflate equals zlib on %d streams and refuses broken ones (%s)" % (inflated["cases"], inflated["bad"][:3]))
    if 'id="dabiao-evaluator"' not in html:
        print("FAIL the page carries no evaluator: Sources/DabiaoCore/Resources/page/evaluator.js is missing "
              "from this build, so the page cannot check anything. Merge the evaluator and run again.")
        return 1
    print("page: %s, %d bytes" % (page, os.path.getsize(page)))

    # The inputs: the sample folder, and copies of it whose school file is
    # one school only (for the form), GB18030 or XLSX; the CLI's summary of each.
    sample_files = sorted(os.path.join(SAMPLES, f) for f in os.listdir(SAMPLES) if f.endswith(".csv"))
    others = [f for f in sample_files if os.path.basename(f) != "school.csv"]
    with open(os.path.join(SAMPLES, "school.csv"), encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    one = [r for r in body if r[0] == FAILING_SCHOOL]
    if not one:
        sys.exit("sample school %s not found" % FAILING_SCHOOL)

    def variant(name, school_name, write):
        folder = os.path.join(a.work, name)
        os.makedirs(folder)
        for f in others:
            shutil.copy(f, folder)
        write(os.path.join(folder, school_name))
        return folder

    def write_one(path):
        with open(path, "w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows([header, one[0]])

    def write_gb(path):
        with open(os.path.join(SAMPLES, "school.csv"), encoding="utf-8") as f, open(path, "w", encoding="gb18030", newline="") as g:
            g.write(f.read())

    folders = {
        "one": variant("one", "school.csv", write_one),
        "csv": SAMPLES,
        "gb18030": variant("gb18030", "school.csv", write_gb),
        "xlsx": variant("xlsx", "school.xlsx", lambda p: write_xlsx(rows, p)),
    }
    want = {k: cli_summary(a.bin, v, os.path.join(a.work, "cli-%s.json" % k)) for k, v in folders.items()}

    driver = make_driver(chrome, downloads)
    url = "file://" + os.path.abspath(page)

    def fresh():
        driver.get(url)
        WebDriverWait(driver, 30).until(lambda d: d.execute_script("return !!document.getElementById('run')"))
        driver.execute_script("document.getElementById('as-of').value = arguments[0];"
                              "document.getElementById('as-of').dispatchEvent(new Event('change'));", AS_OF)

    def run_check():
        # A previous run's results must not be taken for this one's.
        driver.execute_script("['results', 'message'].forEach(function (id) { var e = document.getElementById(id); if (e) e.remove(); });")
        driver.find_element(By.ID, "run").click()
        WebDriverWait(driver, 120).until(lambda d: d.execute_script(
            "return !!document.getElementById('summary') || !!document.getElementById('message')"))
        msg = driver.execute_script("var m = document.getElementById('message'); return m ? m.textContent : null")
        if msg:
            print("     page says: " + msg)
            return None
        return json.loads(driver.find_element(By.ID, "summary").get_attribute("data-summary"))

    def open_files(folder, skip=()):
        """Opens every file of the folder at once; returns, per file, the entity the page mapped it to."""
        paths = sorted(os.path.join(folder, f) for f in os.listdir(folder) if f not in skip)
        driver.find_element(By.ID, "files").send_keys("\n".join(os.path.abspath(p) for p in paths))
        WebDriverWait(driver, 60).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "ul.tables li")) >= len(paths)
                                        or d.find_elements(By.ID, "message"))
        mapped = {}
        for li in driver.find_elements(By.CSS_SELECTOR, "ul.tables li"):
            name = li.find_element(By.TAG_NAME, "strong").text.split("#")[0]
            mapped[name] = li.find_element(By.TAG_NAME, "select").get_attribute("value")
        return mapped

    def mapped_by_name(mapped):
        return all(entity == os.path.splitext(name)[0] for name, entity in mapped.items()) and len(mapped) == 6

    try:
        fresh()
        expect(driver.execute_script("return typeof dabiao === 'object' && typeof dabiao.check === 'function'"),
               "the evaluator defines dabiao.check")
        expect(not driver.find_elements(By.ID, "no-evaluator"), "no 'missing evaluator' warning")

        # 2. The form, filled in field by field as a person would.
        def fill_form():
            for name, value in zip(header, one[0]):
                if value == "":
                    continue
                by_label = None
                for e in driver.find_elements(By.CSS_SELECTOR, "[data-entity=school][data-record='0'][data-field]"):
                    label = e.find_element(By.XPATH, "..").find_element(By.CSS_SELECTOR, ".label").text
                    if label == name or re.sub(r"（.*）$", "", label) == re.sub(r"（.*）$", "", name):
                        by_label = e
                        break
                if by_label is None:
                    expect(False, "form field for column %s" % name)
                    continue
                if by_label.tag_name == "select":
                    Select(by_label).select_by_value(value)
                else:
                    by_label.send_keys(value)

        def school_failures(what):
            fail = driver.find_elements(By.CSS_SELECTOR, ".record-results[data-key='%s'] .result[data-rule='ZZ-01'][data-outcome=fail]"
                                        % FAILING_SCHOOL)
            expect(len(fail) == 1, "%s: ZZ-01 shown as failing for %s" % (what, FAILING_SCHOOL))
            fixes = fail[0].find_elements(By.CSS_SELECTOR, "li.fix") if fail else []
            expect(any("991 → 1200" in f.text for f in fixes), "%s: its fix 991 → 1200 is shown (%s)" % (what, [f.text for f in fixes]))
            rect = driver.find_elements(By.CSS_SELECTOR, "#rectification .rect-item[data-key='%s'] li.change" % FAILING_SCHOOL)
            expect(len(rect) >= 2, "%s: the school is in the rectification list with %d changes (students, track)" % (what, len(rect)))

        # The school alone, as a school checks itself (the CLI cannot: it wants every entity's data).
        fill_form()
        got = run_check()
        expect(got is not None and got["fail"] >= 2, "form alone: the school's results (%s)" % got)
        school_failures("form alone")
        if a.screenshots:
            # The README's pictures: the form, and the results with the rectification list.
            os.makedirs(a.screenshots, exist_ok=True)
            driver.set_window_size(1280, 1500)
            for name, target in (("page-form.png", "form-school"), ("page-results.png", "results")):
                driver.execute_script("document.getElementById(arguments[0]).scrollIntoView(true); window.scrollBy(0, -10);", target)
                time.sleep(0.3)
                path = os.path.join(a.screenshots, name)
                driver.save_screenshot(path)
                print("     screenshot: " + path)

        # The same school beside the other entities' sample files, against the CLI on the same data.
        fresh()
        mapped = open_files(folders["one"], skip=("school.csv",))
        expect(len(mapped) == 5 and all(e == os.path.splitext(n)[0] for n, e in mapped.items()),
               "form: the five other sample files mapped to their entities (%s)" % mapped)
        fill_form()
        got = run_check()
        expect(got == want["one"], "form: failing school %s gives the CLI's summary %s (page %s)"
               % (FAILING_SCHOOL, want["one"], got))
        school_failures("form")
        # The print layout: the controls go, the results stay.
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        shown = driver.execute_script(
            "function d(s) { var e = document.querySelector(s); return e ? getComputedStyle(e).display : 'absent'; }"
            "return [d('#run'), d('#files'), d('section.data'), d('#rectification'), d('#by-record'), d('#summary')];")
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        expect(shown[:3] == ["none"] * 3 and "none" not in shown[3:] and "absent" not in shown,
               "print layout: controls and forms hidden, summary, rectification list and results shown (%s)" % shown)
        pdf = driver.print_page()
        expect(len(pdf) > 1000, "the page prints (%d bytes of PDF, base64)" % len(pdf))
        driver.find_element(By.ID, "lang").click()
        WebDriverWait(driver, 30).until(lambda d: d.find_element(By.TAG_NAME, "h1").text == "Self-check")
        expect(driver.find_element(By.ID, "run").text.endswith("Check"), "the English switch relabels the page")

        # 3. Files.
        for label, kill_stream in (("csv", False), ("gb18030", False), ("xlsx", False), ("xlsx", True)):
            fresh()
            if kill_stream:
                driver.execute_script("delete window.DecompressionStream;")
                expect(driver.execute_script("return typeof DecompressionStream") == "undefined",
                       "DecompressionStream deleted for the fallback run")
            mapped = open_files(folders[label])
            expect(mapped_by_name(mapped), "%s: six files opened at once, each mapped to its entity (%s)" % (label, mapped))
            got = run_check()
            what = label + (" (JavaScript inflate)" if kill_stream else "")
            expect(got == want[label], "%s: same summary as the CLI %s (page %s)" % (what, want[label], got))
            if label == "xlsx":
                used = driver.find_element(By.ID, "app").get_attribute("data-inflate")
                expect(used == ("javascript" if kill_stream else "native"), "%s: inflate used: %s" % (what, used))
            # Data problems: the same files, lines, columns and values as the CLI's.
            with open(os.path.join(a.work, "cli-%s.json" % label), encoding="utf-8") as f:
                cli = json.load(f)
            cli_rows = sorted([os.path.basename(d["path"]), "" if d["line"] is None else str(d["line"]), d["column"] or "",
                               "" if d["value"] is None else str(d["value"])] for d in cli["dataErrors"] + cli["notes"])
            page_rows = sorted(driver.execute_script(
                "return Array.prototype.slice.call(document.querySelectorAll('#data-errors tr')).slice(1).map(function (r) {"
                " return Array.prototype.slice.call(r.children, 0, 4).map(function (c) { return c.textContent; }); })"))
            expect(page_rows == cli_rows, "%s: data problems with the CLI's file, line, column and value (%d; page %s)"
                   % (what, len(cli_rows), page_rows[:3]))
            if label == "csv":
                # 4. The exported JSON goes back into dabiao diff.
                driver.find_element(By.ID, "export-json").click()
                exported = None
                for _ in range(100):
                    got_files = [f for f in os.listdir(downloads) if f.endswith(".json")]
                    if got_files:
                        exported = os.path.join(downloads, got_files[0])
                        break
                    time.sleep(0.1)
                if expect(exported is not None, "export: a JSON report was downloaded"):
                    time.sleep(0.3)
                    r = subprocess.run([a.bin, "diff", os.path.join(a.work, "cli-csv.json"), exported, "--format", "json"],
                                       capture_output=True, text=True)
                    d = json.loads(r.stdout) if r.returncode in (0, 1) and r.stdout.strip() else {}
                    newly, fixed = d.get("newlyFailing"), d.get("fixed")
                    expect(r.returncode == 0 and newly == [] and fixed == [],
                           "export: dabiao diff CLI-report page-report: exit %d, newly failing %s, fixed %s"
                           % (r.returncode, None if newly is None else len(newly), None if fixed is None else len(fixed)))
                driver.find_element(By.ID, "export-csv").click()
                exported = None
                for _ in range(100):
                    got_files = [f for f in os.listdir(downloads) if f.endswith(".csv") and not f.endswith(".crdownload")]
                    if got_files:
                        exported = os.path.join(downloads, got_files[0])
                        break
                    time.sleep(0.1)
                if expect(exported is not None, "export: a CSV of the results was downloaded"):
                    time.sleep(0.3)
                    raw = open(exported, "rb").read()
                    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
                    expect(raw.startswith(b"\xef\xbb\xbf") and len(table) == want[label]["results"] + 1,
                           "export: the CSV has a BOM and one row per result (%d rows, want %d)"
                           % (len(table) - 1, want[label]["results"]))

        # The baseline (prev): the 2023 samples beside the 2024 ones, as the CLI's --baseline.
        fresh()
        open_files(SAMPLES)
        base = os.path.abspath(os.path.join(SAMPLES, "..", "gansu-2023"))
        base_files = sorted(os.path.join(base, f) for f in os.listdir(base) if f.endswith(".csv"))
        driver.find_element(By.CSS_SELECTOR, "details.baseline").click()
        driver.find_element(By.ID, "baseline-files").send_keys("\n".join(base_files))
        WebDriverWait(driver, 60).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "details.baseline ul.tables li")) >= len(base_files))
        got = run_check()
        r = subprocess.run([a.bin, "check", "--as-of", AS_OF, "--format", "json", "--show", "all", SAMPLES, "--baseline", base,
                            "--output", os.path.join(a.work, "cli-baseline.json")])
        with open(os.path.join(a.work, "cli-baseline.json"), encoding="utf-8") as f:
            cli = json.load(f)
        expect(r.returncode in (0, 1) and got == cli["summary"],
               "baseline: the 2023 samples as last period give the CLI's summary with --baseline %s (page %s)" % (cli["summary"], got))

        # One ruleset: the rules are independent, so its results are the CLI's results of that ruleset.
        one_set = "zz_setting"
        driver.execute_script("var keep = arguments[0]; document.querySelectorAll('input[name=ruleset]').forEach(function (b) {"
                              " if (b.checked !== (b.value === keep)) b.click(); });", one_set)
        got = run_check()
        page_sets = driver.execute_script("return Array.prototype.map.call(document.querySelectorAll('.result'), function (r) {"
                                          " return r.getAttribute('data-rule'); })")
        want_n = sum(1 for x in cli["results"] if x["ruleset"] == one_set)
        want_rules = {x["rule"] for x in cli["results"] if x["ruleset"] == one_set}
        expect(got is not None and got["results"] == want_n and set(page_sets) <= want_rules,
               "one ruleset (%s): %s results, the CLI has %d of that ruleset; rules shown %s"
               % (one_set, got and got["results"], want_n, sorted(set(page_sets))[:5]))

        # 6. Nothing left the page.
        entries = driver.execute_script("return performance.getEntriesByType('resource').map(function (e) { return e.name; })")
        expect(entries == [], "no resource fetched by the page (Resource Timing: %s)" % entries[:5])
        urls = []
        for entry in driver.get_log("performance"):
            msg = json.loads(entry["message"])["message"]
            if msg.get("method") == "Network.requestWillBeSent":
                urls.append(msg["params"]["request"]["url"])
        outside = [u for u in urls if not u.startswith(ALLOWED_SCHEMES)]
        expect(urls and not outside, "no request leaves the page (%d requests, all file:/data:/blob:; outside: %s)"
               % (len(urls), outside[:5]))
    finally:
        driver.quit()

    if failures:
        print("page browser check FAILED: %d of %d checks" % (len(failures), len(passes) + len(failures)))
    else:
        print("page browser check passed: all %d checks" % len(passes))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
