#!/usr/bin/env python3
"""The HTML report in a real browser, at scale and in print.

1. Generates N schools (default 20,000) from the built-in Gansu samples: each
   new school is a copy of a sample school picked by a seeded generator, with
   its teachers and placements, under new keys; enterprises and regions stay.
2. Runs `dabiao check --show failures --format html` (and `--format json`, the
   reference the page is checked against) on them.
3. Opens the page in headless Chromium (selenium + chromedriver, network
   blocked) and asserts: the file is at most 20 MB; the first rows are there
   at most 5 s after navigation started; the level filter and the search show
   as many rows as the JSON report has for them; sorting at least 10,000 rows
   takes at most 100 ms, measured in the page with performance.now(), and
   gives sorted rows; the rows the script draws equal the rows written into
   the page for readers without scripting.
4. Prints the built-in sample (`--show failures`) to PDF with Chromium and
   asserts at most 40 A4 pages.

Prints the measured figures (docs/reports.md records them).
With --install (as root) it installs chromium, chromium-driver, poppler-utils,
fonts-noto-cjk and selenium first; without, a missing browser is a SKIP.

usage: scripts/html_browser_check.py [--bin .build/debug/dabiao] [--schools N] [--work DIR] [--install]
exit:  0 passed or skipped · 1 a check failed · 64 usage
"""

import argparse
import csv
import glob
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time

SEED = 20241031
AS_OF = "2024-10-31"
SAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "samples", "gansu-2024")
MAX_BYTES = 20 * 1024 * 1024
MAX_LOAD_MS = 5000
MAX_SORT_MS = 100
MAX_PAGES = 40


def read(name):
    with open(os.path.join(SAMPLES, name), encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def write(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def generate(n, out):
    """N schools copied from the sample ones (seeded choice), with their teachers and placements."""
    os.makedirs(out, exist_ok=True)
    rng = random.Random(SEED)
    sh, schools = read("school.csv")
    th, teachers = read("teacher.csv")
    ih, placements = read("internship.csv")
    by_school_t, by_school_i = {}, {}
    for t in teachers:
        by_school_t.setdefault(t[1], []).append(t)
    for p in placements:
        by_school_i.setdefault(p[2], []).append(p)
    new_s, new_t, new_i = [], [], []
    for i in range(n):
        src = rng.choice(schools)
        code = "62%08d" % i
        new_s.append([code, "%s%d" % (src[1], i)] + src[2:])
        for t in by_school_t.get(src[0], []):
            new_t.append(["T%09d" % len(new_t), code] + t[2:])
        for p in by_school_i.get(src[0], []):
            new_i.append(["SX%09d" % len(new_i), "XS%09d" % len(new_i), code] + p[3:])
    write(os.path.join(out, "school.csv"), sh, new_s)
    write(os.path.join(out, "teacher.csv"), th, new_t)
    write(os.path.join(out, "internship.csv"), ih, new_i)
    # Entities other than schools, teachers and placements stay as the samples have them.
    for name in sorted(f for f in os.listdir(SAMPLES) if f.endswith(".csv")
                       and f not in ("school.csv", "teacher.csv", "internship.csv")):
        shutil.copy(os.path.join(SAMPLES, name), os.path.join(out, name))
    return len(new_s), len(new_t), len(new_i)


def install():
    if os.geteuid() != 0:
        sys.exit("--install needs root (apt-get)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update"], check=True, stdout=subprocess.DEVNULL, env=env)
    subprocess.run(["apt-get", "install", "-y", "chromium", "chromium-driver", "poppler-utils", "fonts-noto-cjk"],
                   check=True, stdout=subprocess.DEVNULL, env=env)
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "selenium"], check=True)


def browser():
    for c in ("chromium", "chromium-browser", "google-chrome"):
        p = shutil.which(c)
        if p:
            return p
    return None


def check(bin_path, html, *args):
    """dabiao check; exit 1 (failures found) is expected."""
    r = subprocess.run([bin_path, "check", "--as-of", AS_OF, *args, "--output", html])
    if r.returncode not in (0, 1):
        sys.exit("dabiao check exited %d" % r.returncode)


def pdf_pages(path):
    if shutil.which("pdfinfo"):
        out = subprocess.run(["pdfinfo", path], capture_output=True, text=True).stdout
        m = re.search(r"^Pages:\s+(\d+)", out, re.M)
        if m:
            return int(m.group(1))
    data = open(path, "rb").read()
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=".build/debug/dabiao")
    ap.add_argument("--schools", type=int, default=20000)
    ap.add_argument("--work", default="/tmp/dabiao-html-check")
    ap.add_argument("--install", action="store_true")
    a = ap.parse_args()
    if a.install:
        try:
            import selenium  # noqa: F401
            have = browser() and shutil.which("chromedriver")
        except ImportError:
            have = False
        if not have:
            install()
    try:
        from selenium import webdriver
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import Select, WebDriverWait
    except ImportError:
        print("SKIP html browser check: selenium is not installed (run with --install as root)")
        return 0
    chrome = browser()
    if not chrome or not shutil.which("chromedriver"):
        print("SKIP html browser check: chromium or chromedriver is not installed (run with --install as root)")
        return 0

    failures, passes = [], []

    def expect(ok, what):
        print(("ok   " if ok else "FAIL ") + what)
        (passes if ok else failures).append(what)

    os.makedirs(a.work, exist_ok=True)
    data = os.path.join(a.work, "data")
    s, t, p = generate(a.schools, data)
    print("generated %d schools, %d teachers, %d placements" % (s, t, p))
    big = os.path.join(a.work, "big.html")
    t0 = time.time()
    check(a.bin, big, data, "--show", "failures", "--format", "html")
    print("dabiao check --format html: %.1f s" % (time.time() - t0))
    check(a.bin, os.path.join(a.work, "big.json"), data, "--show", "failures", "--format", "json")
    with open(os.path.join(a.work, "big.json"), encoding="utf-8") as f:
        results = json.load(f)["results"]
    size = os.path.getsize(big)
    expect(size <= MAX_BYTES, "size %.1f MB ≤ 20 MB (%d results)" % (size / 1048576, len(results)))

    opts = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--host-resolver-rules=MAP * ~NOTFOUND", "--window-size=1280,1600"):
        opts.add_argument(arg)
    opts.binary_location = chrome
    service = webdriver.ChromeService(executable_path=shutil.which("chromedriver"))
    driver = webdriver.Chrome(options=opts, service=service)
    driver.set_page_load_timeout(120)
    try:
        driver.get("file://" + os.path.abspath(big))
        WebDriverWait(driver, 60).until(lambda d: d.execute_script(
            "return document.querySelector('#results-table tbody.live tr') !== null"))
        nav = driver.execute_script("var n = performance.getEntriesByType('navigation')[0];"
                                    "return [n.domContentLoadedEventEnd, n.loadEventEnd];")
        first_row = driver.execute_script("return performance.now()")
        load_ms = max(nav)
        expect(load_ms <= MAX_LOAD_MS, "loaded in %.0f ms (DOMContentLoaded %.0f ms, first row by %.0f ms) ≤ %d ms"
               % (load_ms, nav[0], first_row, MAX_LOAD_MS))

        def matches():
            return int(driver.find_element(By.ID, "results-table").get_attribute("data-matches"))

        def live_rows():
            return len(driver.find_elements(By.CSS_SELECTOR, "#results-table tbody.live tr"))

        expect(matches() == len(results), "all %d results are rows of the page (%d)" % (len(results), matches()))
        expect(live_rows() == min(100, len(results)), "one page of 100 rows drawn (%d)" % live_rows())

        cat = {("fail", "error"): 0, ("fail", "warning"): 1, ("fail", "info"): 2}
        level = Select(driver.find_element(By.NAME, "level"))
        for value in ("0", "1", "3"):
            level.select_by_value(value)
            want = sum(1 for r in results
                       if (cat.get((r["outcome"], r.get("level")), 3 if r["outcome"] == "missing" else 9)) == int(value))
            expect(matches() == want, "level filter %s: %d rows, JSON has %d" % (value, matches(), want))
        level.select_by_value("")

        box = driver.find_element(By.ID, "search")

        def search(q):
            box.clear()
            box.send_keys(q)
            time.sleep(0.4)  # the search waits 150 ms for typing to stop
            return matches()

        key = results[len(results) // 2]["key"]
        want = sum(1 for r in results if key in r["key"] or key in (r.get("name") or "") or key in (r.get("message") or ""))
        got = search(key)
        expect(got == want and got > 0, "search %s: %d rows, JSON has %d" % (key, got, want))
        word = "样例第十二"
        want = sum(1 for r in results if word in r["key"] or word in (r.get("name") or "") or word in (r.get("message") or ""))
        got = search(word)
        expect(got == want and got > 0, "search %s: %d rows, JSON has %d" % (word, got, want))
        search("")
        box.send_keys("\b")
        time.sleep(0.4)

        # Sorting: the smallest level group of at least 10,000 rows (at 20k
        # schools the warnings, about 10,000; the errors are about 70,000).
        sizes = []
        for option in level.options:
            if option.get_attribute("value"):
                level.select_by_value(option.get_attribute("value"))
                sizes.append((matches(), option.get_attribute("value")))
        big_enough = [x for x in sizes if x[0] >= 10000]
        level.select_by_value(min(big_enough)[1] if big_enough else max(sizes)[1])
        n = matches()
        heads = driver.find_elements(By.CSS_SELECTOR, "#results-table thead th")
        for col, name in ((2, "record"), (5, "measure"), (0, "outcome")):
            times = []
            for _ in range(2):
                heads[col].click()
                times.append(float(driver.find_element(By.ID, "results-table").get_attribute("data-sort-ms")))
            expect(max(times) <= MAX_SORT_MS and n >= 10000,
                   "sort %d rows by %s: %s ms ≤ %d ms" % (n, name, " / ".join("%.1f" % x for x in times), MAX_SORT_MS))
        heads[2].click()  # ascending by record key
        keys = driver.execute_script("return Array.prototype.map.call(document.querySelectorAll("
                                     "'#results-table tbody.live tr td:nth-child(3)'), function (c) { return c.textContent; })")
        expect(keys == sorted(keys) and len(keys) == 100, "sorted by record key: the page is in order")
        level.select_by_value("")

        # The script draws what the page has as HTML for readers without scripting.
        sample = os.path.join(a.work, "sample.html")
        check(a.bin, sample, "--show", "failures", "--format", "html")
        driver.get("file://" + os.path.abspath(sample))
        WebDriverWait(driver, 30).until(lambda d: d.execute_script(
            "return document.querySelector('#results-table tbody.live tr') !== null"))
        same = driver.execute_script("""
            var a = document.querySelectorAll('#results-table tbody.static tr');
            var b = document.querySelectorAll('#results-table tbody.live tr');
            for (var i = 0; i < b.length; i++) if (!a[i] || a[i].outerHTML !== b[i].outerHTML) return i;
            return b.length > 0 ? -1 : 0;""")
        expect(same == -1, "script rows equal the page's HTML rows (first difference at %s)" % same)
    finally:
        driver.quit()

    pdf = os.path.join(a.work, "sample.pdf")
    profile = os.path.join(a.work, "profile")
    subprocess.run([chrome, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    "--user-data-dir=" + profile, "--host-resolver-rules=MAP * ~NOTFOUND",
                    "--print-to-pdf=" + pdf, "file://" + os.path.abspath(sample)],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=180)
    pages = pdf_pages(pdf) if os.path.exists(pdf) else 0
    expect(0 < pages <= MAX_PAGES, "the sample with failures prints on %d A4 pages ≤ %d" % (pages, MAX_PAGES))

    if failures:
        print("html browser check FAILED: %d of %d checks" % (len(failures), len(passes) + len(failures)))
    else:
        print("html browser check passed: all %d checks" % len(passes))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
