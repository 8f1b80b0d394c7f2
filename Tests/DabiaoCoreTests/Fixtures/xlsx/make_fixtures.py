#!/usr/bin/env python3
"""Regenerates the XLSX/inflate test fixtures next to this script.

Needs: python3 with openpyxl (pip install openpyxl); optional: LibreOffice (soffice) for
libreoffice.xlsx. Output is deterministic except for timestamps inside xlsx files.

inflate/*.deflate are raw DEFLATE streams (zlib wbits=-15); inflate/manifest.json records each
stream's expected output size and CRC-32 so the decompressed data need not be committed.
"""
import datetime
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def deflate(data, level=6, strategy=zlib.Z_DEFAULT_STRATEGY, mem_level=8, flushes=None, zdict=None):
    kwargs = {"zdict": zdict} if zdict is not None else {}
    c = zlib.compressobj(level, zlib.DEFLATED, -15, mem_level, strategy, **kwargs)
    out = b""
    if flushes:
        step = max(1, len(data) // (flushes + 1))
        for i in range(0, len(data), step):
            out += c.compress(data[i:i + step]) + c.flush(zlib.Z_SYNC_FLUSH)
    else:
        out += c.compress(data)
    return out + c.flush(zlib.Z_FINISH)


def inflate_fixtures():
    rng = random.Random(20240901)
    text = ("学号,姓名,班级,成绩\n" + "".join(
        f"{2024000 + i},学生{i % 97},计算机{i % 7}班,{rng.randint(40, 100)}\n" for i in range(2000))).encode()
    random_bytes = bytes(rng.getrandbits(8) for _ in range(20000))
    mixed = b"".join((random_bytes[i * 500:(i + 1) * 500] + b"ab" * rng.randint(1, 300)) for i in range(40))
    cases = {
        "empty_l6": deflate(b"", 6),
        "empty_stored": deflate(b"", 0),
        "text_stored": deflate(text, 0),
        "text_l1": deflate(text, 1),
        "text_l6": deflate(text, 6),
        "text_l9": deflate(text, 9),
        "text_fixed": deflate(text, 6, zlib.Z_FIXED),
        "text_huffman_only": deflate(text, 6, zlib.Z_HUFFMAN_ONLY),
        "text_rle": deflate(text, 6, zlib.Z_RLE),
        "text_small_blocks": deflate(text, 6, mem_level=1),
        "text_sync_flush": deflate(text, 6, flushes=7),
        "random_l6": deflate(random_bytes, 6),
        "random_fixed": deflate(random_bytes[:5000], 6, zlib.Z_FIXED),
        "mixed_l6": deflate(mixed, 6),
        "runs_l9": deflate(b"\x00" * 100000 + b"x" * 258 + b"yz" * 5000, 9),
        "all_bytes": deflate(bytes(range(256)) * 64, 6),
        "one_byte": deflate(b"A", 6),
    }
    expected = {
        "empty_l6": b"", "empty_stored": b"", "text_stored": text, "text_l1": text, "text_l6": text,
        "text_l9": text, "text_fixed": text, "text_huffman_only": text, "text_rle": text,
        "text_small_blocks": text, "text_sync_flush": text, "random_l6": random_bytes,
        "random_fixed": random_bytes[:5000], "mixed_l6": mixed,
        "runs_l9": b"\x00" * 100000 + b"x" * 258 + b"yz" * 5000, "all_bytes": bytes(range(256)) * 64,
        "one_byte": b"A",
    }
    # References into a preset dictionary the decoder does not have: "distance too far back".
    cases["needs_dictionary"] = deflate(b"hello world, hello world", 6, zdict=b"hello world, ")
    out_dir = os.path.join(HERE, "inflate")
    os.makedirs(out_dir, exist_ok=True)
    manifest = {}
    for name, stream in cases.items():
        with open(os.path.join(out_dir, name + ".deflate"), "wb") as f:
            f.write(stream)
        if name in expected:
            data = expected[name]
            manifest[name] = {"size": len(data), "crc32": zlib.crc32(data)}
    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)


def openpyxl_fixtures():
    import openpyxl
    from openpyxl.styles import Alignment

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "学生名单"
    ws.append(["学号", "姓名", "年龄", "成绩", "入学日期", "在读", "备注"])
    ws.append(["2024001", "张三", 18, 92.5, datetime.date(2024, 9, 1), True, "班长"])
    ws.append(["2024002", "李四", 19, 78, datetime.date(2023, 9, 1), False, None])
    ws.append(["2024003", "王五", None, -3.25e-3, datetime.datetime(2024, 3, 15, 8, 30), True, "含特殊字符 <&> \"引号\""])
    ws["A6"] = "空行之后"
    ws["H6"] = 1e15
    ws["C7"] = "=1+1"  # formula without cached value (openpyxl never computes)
    ws2 = wb.create_sheet("课时统计")
    ws2.append(["课程", "课时"])
    ws2.append(["数学", 64])
    ws2["C2"] = datetime.time(13, 45)
    ws2["D2"] = 45
    ws2["D2"].number_format = 'yyyy"年"m"月"d"日"'
    ws2["E2"] = 12.5
    ws2["E2"].number_format = '0.00"元";[Red]-0.00"元"'
    ws2["F2"] = 0.5
    ws2["F2"].number_format = '0.0%'
    wb.save(os.path.join(HERE, "basic.xlsx"))

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "教师"
    ws["A1"] = "基本信息"
    ws.merge_cells("A1:C1")
    ws["D1"] = "职称"
    ws.merge_cells("D1:D2")
    ws["E1"] = "学历信息"
    ws.merge_cells("E1:F1")
    ws["A1"].alignment = Alignment(horizontal="center")
    for col, value in enumerate(["工号", "姓名", "性别", None, "学历", "学位"], start=1):
        if value is not None:
            ws.cell(row=2, column=col, value=value)
    ws.append(["T001", "赵老师", "女", "副教授", "研究生", "硕士"])
    ws.append(["T002", "钱老师", "男", "讲师", "本科", "学士"])
    ws["A6"] = "合计"
    ws.merge_cells("A6:B7")
    wb.save(os.path.join(HERE, "merged.xlsx"))

    wb = openpyxl.Workbook()
    wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["日期", "数值"])
    ws.append([datetime.date(2024, 9, 1), 1])
    ws.append([datetime.date(1904, 1, 2), 2])
    wb.save(os.path.join(HERE, "date1904.xlsx"))


def handmade_fixture():
    """Parts written by hand to cover what openpyxl never emits: inline strings, cached
    formula strings, errors, rich text with phonetic runs, `_xHHHH_` escapes, a namespace
    prefix, cells without `r`, absolute relationship targets and stored (uncompressed) entries."""
    content_types = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
</Types>"""
    root_rels = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/xl/workbook.xml"/>
</Relationships>"""
    workbook = """<?xml version="1.0" encoding="UTF-8"?>
<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<x:workbookPr/>
<x:sheets><x:sheet name="数据 &amp; 说明" sheetId="1" r:id="rId7"/><x:sheet name="第二页" sheetId="2" r:id="rId8"/></x:sheets>
</x:workbook>"""
    workbook_rels = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/data.xml"/>
<Relationship Id="rId8" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="../xl/worksheets/./second.xml"/>
<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="strings/shared.xml"/>
<Relationship Id="rId10" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="http://example.invalid/" TargetMode="External"/>
</Relationships>"""
    shared = """<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3">
<si><t>普通</t></si>
<si><r><rPr><b/></rPr><t>加粗</t></r><r><t xml:space="preserve"> 与普通</t></r><rPh sb="0" eb="1"><t>ふりがな</t></rPh></si>
<si><t>换行_x000D_&#10;第二行 &#x4E2D;</t></si>
</sst>"""
    sheet = """<?xml version="1.0" encoding="UTF-8"?>
<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<!-- comment with <c> inside -->
<x:sheetData>
<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="s"><x:v>1</x:v></x:c><x:c r="C1" t="s"><x:v>2</x:v></x:c></x:row>
<x:row r="3"><x:c t="inlineStr"><x:is><x:t>内联</x:t></x:is></x:c><x:c t="inlineStr"><x:is><x:r><x:t>富</x:t></x:r><x:r><x:t>文本</x:t></x:r></x:is></x:c><x:c r="E3" t="str"><x:f>A1&amp;"x"</x:f><x:v>普通x</x:v></x:c></x:row>
<x:row><x:c r="A4" t="b"><x:v>1</x:v></x:c><x:c r="B4" t="b"><x:v>0</x:v></x:c><x:c r="C4" t="e"><x:v>#DIV/0!</x:v></x:c><x:c r="D4" t="n"><x:v>  </x:v></x:c><x:c r="AA4"><x:v>3.5</x:v></x:c></x:row>
<x:row r="5" spans="1:2"><x:c r="A5" s="0"/><x:c r="B5"><x:v><![CDATA[42]]></x:v></x:c></x:row>
<x:row r="6"><x:c r="A6" t="d"><x:v>2024-09-01T08:30:00</x:v></x:c></x:row>
</x:sheetData>
<x:mergeCells count="1"><x:mergeCell ref="A1:B1"/></x:mergeCells>
</x:worksheet>"""
    second = """<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="2"><c r="B2"><v>7</v></c></row></sheetData></worksheet>"""
    path = os.path.join(HERE, "handmade.xlsx")
    with zipfile.ZipFile(path, "w") as z:
        def put(name, text, method):
            info = zipfile.ZipInfo(name, date_time=(2024, 9, 1, 0, 0, 0))
            info.compress_type = method
            z.writestr(info, text.strip().encode("utf-8"))
        put("[Content_Types].xml", content_types, zipfile.ZIP_STORED)
        put("_rels/.rels", root_rels, zipfile.ZIP_STORED)
        put("xl/workbook.xml", workbook, zipfile.ZIP_DEFLATED)
        put("xl/_rels/workbook.xml.rels", workbook_rels, zipfile.ZIP_DEFLATED)
        put("xl/strings/shared.xml", shared, zipfile.ZIP_DEFLATED)
        put("xl/worksheets/data.xml", sheet, zipfile.ZIP_DEFLATED)
        put("xl/worksheets/second.xml", second, zipfile.ZIP_STORED)


def libreoffice_fixture():
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        print("soffice not found: libreoffice.xlsx not regenerated", file=sys.stderr)
        return
    csv = "学号,姓名,成绩,入学日期,备注\n2024001,张三,92.5,2024-09-01,班长\n2024002,李四,78,2023-09-01,\n2024003,王五,,2024-03-15,\"逗号,引号\"\"\"\n"
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "libreoffice.csv")
        with open(src, "w", encoding="utf-8") as f:
            f.write(csv)
        # Filter options: comma separator, UTF-8 (76), first line 1, and detect special numbers (dates).
        subprocess.run([soffice, "--headless", "--infilter=CSV:44,34,76,1,,0,false,true,true",
                        "--convert-to", "xlsx", "--outdir", tmp, src],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=180,
                       env=dict(os.environ, HOME=tmp))
        shutil.copy(os.path.join(tmp, "libreoffice.xlsx"), os.path.join(HERE, "libreoffice.xlsx"))


if __name__ == "__main__":
    inflate_fixtures()
    openpyxl_fixtures()
    handmade_fixture()
    libreoffice_fixture()
