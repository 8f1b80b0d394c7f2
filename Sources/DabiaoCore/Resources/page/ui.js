/* The self-check page's interface (docs/page.md). No library, no syntax newer
   than ES2018, no network: everything the page needs is in the file. The
   evaluator (evaluator.js) does all checking; this script only gathers the
   data (forms, CSV, XLSX), calls dabiao.check and shows what it returns. */
(function () {
  "use strict";

  var IR = globalThis.DABIAO_IR;
  var TESTED = "Chromium 156";

  var WORDS = {
    title: ["达标自查", "Self-check"],
    intro: ["在本机浏览器中按内置规则库检查学校数据：不联网、不上传，数据只留在这台电脑上。",
      "Checks a school's data against the rulebooks inside this file, in this browser: no network, nothing is uploaded, the data stays on this computer."],
    carries: ["本页携带的规则库", "Rulebooks in this page"],
    tested: ["测试过的最旧浏览器：", "Oldest browser tested: "],
    noEvaluator: ["本页缺少计算程序（evaluator.js），无法检查。请用 dabiao page 重新生成。",
      "This page has no evaluator (evaluator.js) and cannot check. Make it again with dabiao page."],
    noIR: ["本页缺少规则数据，无法使用。", "This page carries no rules and cannot be used."],
    rulesets: ["1. 选择规则集", "1. Rulesets"],
    all: ["全选", "All"], none: ["全不选", "None"],
    asOf: ["审计日期", "Audit date"],
    data: ["2. 数据：填表或打开文件", "2. Data: fill in the forms or open files"],
    openFiles: ["打开文件（CSV 或 xlsx，可多选）", "Open files (CSV or xlsx, several at once)"],
    drop: ["或把文件拖到这里", "or drop files here"],
    baseline: ["上期数据（可选，供 prev 比较）", "Last period's data (optional, for prev)"],
    files: ["已打开的文件", "Files opened"],
    rows: ["行", "rows"], remove: ["移除", "Remove"],
    unmapped: ["（未识别，请选择实体）", "(not recognised, choose the entity)"],
    headerRow: ["表头在第 {n} 行", "header on row {n}"],
    sheet: ["工作表", "sheet"],
    form: ["填表", "Form"],
    record: ["记录", "Record"], addRecord: ["添加一条记录", "Add a record"],
    optional: ["选填", "optional"], yes: ["是", "yes"], no: ["否", "no"],
    run: ["3. 检查", "3. Check"],
    running: ["正在计算…", "Evaluating…"],
    nothing: ["没有数据：请填表或打开文件。", "No data: fill in a form or open a file."],
    evalMs: ["计算用时 {ms} 毫秒", "evaluated in {ms} ms"],
    summary: ["结果概要", "Summary"],
    results: ["结果", "results"], pass: ["达标", "pass"], fail: ["不达标", "fail"],
    waived: ["豁免", "waived"], "not-applicable": ["不适用", "not applicable"],
    missing: ["数据缺失", "missing"], undefined: ["无法计算", "undefined"],
    error: ["错误", "error"], warning: ["警告", "warning"], info: ["提示", "info"],
    rectification: ["整改清单", "Rectification list"],
    noRectification: ["无需整改。", "Nothing to change."],
    owner: ["责任主体", "owner"], deadline: ["整改期限", "deadline"],
    passesAfter: ["整改后达标", "passes after"], stillFailing: ["整改后仍不达标", "still failing"],
    byRecord: ["按记录的结果", "Results by record"],
    onlyProblems: ["只看有问题的结果", "Problems only"],
    more: ["再显示 {n} 条", "Show {n} more"],
    measures: ["指标", "measures"], cite: ["依据", "source"], fixes: ["整改", "fixes"],
    missingFields: ["缺失字段", "missing fields"],
    noRemedy: ["无法找到整改量", "no remedy found"],
    dataErrors: ["数据问题", "Data problems"],
    line: ["行", "line"], column: ["列", "column"], value: ["值", "value"], file: ["文件", "file"],
    recordNo: ["第 {n} 条记录", "record {n}"], formSource: ["表单", "form"],
    exportCSV: ["导出结果 CSV", "Export results (CSV)"],
    exportJSON: ["导出 JSON 报告（供 dabiao diff）", "Export JSON report (for dabiao diff)"],
    print: ["打印", "Print"],
    oldXLS: ["这是旧版 xls 或加密的工作簿，请在 Excel/WPS 中另存为 xlsx 或 CSV", "an old .xls or an encrypted workbook: save it as xlsx or CSV in Excel/WPS"],
    readError: ["无法读取文件 {f}：{e}", "cannot read {f}: {e}"],
    evalError: ["计算出错：{e}", "the evaluator failed: {e}"],
    records: ["条记录", "records"],
    lang: ["English", "中文"]
  };

  var state = {
    lang: "zh",
    asOf: localToday(),
    selected: {},
    forms: {},
    tables: [],
    baseline: [],
    report: null,
    evalMs: null,
    onlyProblems: true,
    shown: 50,
    openForms: {},
    rectShown: 50,
    loadedKey: null,
    message: null
  };

  function w(key, vars) {
    var pair = WORDS[key];
    var s = pair ? pair[state.lang === "zh" ? 0 : 1] : key;
    if (vars) Object.keys(vars).forEach(function (k) { s = s.split("{" + k + "}").join(String(vars[k])); });
    return s;
  }

  function localToday() {
    var d = new Date();
    return d.getFullYear() + "-" + pad2(d.getMonth() + 1) + "-" + pad2(d.getDate());
  }
  function pad2(n) { return (n < 10 ? "0" : "") + n; }

  // ---- DOM helpers: text only through textContent, never parsed as HTML, so a cell's contents cannot become markup.
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === "text") e.textContent = v;
      else if (k === "cls") e.className = v;
      else if (k.slice(0, 2) === "on") e.addEventListener(k.slice(2), v);
      else if (k === "value") e.value = v;
      else if (k === "checked") e.checked = !!v;
      else e.setAttribute(k, v === true ? "" : v);
    });
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      e.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return e;
  }

  function entityByName(name) {
    for (var i = 0; i < IR.entities.length; i++) if (IR.entities[i].name === name) return IR.entities[i];
    return null;
  }
  function fieldOf(entity, name) {
    var e = entityByName(entity);
    if (!e) return null;
    for (var i = 0; i < e.fields.length; i++) if (e.fields[i].name === name) return e.fields[i];
    return null;
  }
  function fieldLabel(entity, name) {
    var f = fieldOf(entity, name);
    return f ? f.label || f.name : name;
  }
  function unitOf(field) { return field && field.unit && field.unit.symbol ? field.unit.symbol : ""; }

  // ---- numbers as the reports print them (Engine/Run.swift): for people at most two decimals, three
  // significant digits under 1 (formatNumber); for files up to six decimals (roundForReport).
  function roundHalfAway(d, f) { return (d < 0 ? -1 : 1) * Math.round(Math.abs(d) * f) / f; }
  function num(v) {
    if (v === null || v === undefined) return "—";
    if (typeof v !== "number") return String(v);
    if (!isFinite(v)) return "—";
    var places = 2;
    if (v !== 0 && Math.abs(v) < 1) places = Math.min(6, Math.max(2, 2 - Math.floor(Math.log10(Math.abs(v)))));
    var r = roundHalfAway(v, Math.pow(10, places));
    if (r === Math.round(r) && Math.abs(r) < 1e15) return String(r === 0 ? 0 : r);
    return r.toFixed(places).replace(/0+$/, "").replace(/\.$/, "");
  }
  function exact(v) {
    if (typeof v !== "number" || !isFinite(v)) return "";
    var r = Math.abs(v) < 9e9 ? roundHalfAway(v, 1e6) : v;
    if (r === 0) return "0";
    if (r === Math.round(r) && Math.abs(r) < 1e15) return String(r);
    return String(r);
  }
  function signed(v, f) { return (v < 0 ? "-" : "+") + (f || num)(Math.abs(v)); }

  // ---- text decoding: a BOM decides; else strict UTF-8, else GB18030 (what Excel and WPS write on Chinese Windows).
  function decodeText(bytes) {
    if (bytes.length >= 3 && bytes[0] === 0xEF && bytes[1] === 0xBB && bytes[2] === 0xBF) return new TextDecoder("utf-8").decode(bytes.subarray(3));
    if (bytes.length >= 2 && bytes[0] === 0xFF && bytes[1] === 0xFE) return new TextDecoder("utf-16le").decode(bytes.subarray(2));
    if (bytes.length >= 2 && bytes[0] === 0xFE && bytes[1] === 0xFF) return new TextDecoder("utf-16be").decode(bytes.subarray(2));
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch (e) {
      return new TextDecoder("gb18030").decode(bytes);
    }
  }

  // ---- CSV (RFC 4180; the delimiter is the one of , ; tab that the first line has most of outside quotes).
  function parseCSV(text) {
    var first = "", inQ = false, i;
    for (i = 0; i < text.length; i++) {
      var ch = text[i];
      if (ch === '"') inQ = !inQ;
      else if (!inQ && (ch === "\n" || ch === "\r")) break;
      else if (!inQ) first += ch;
    }
    var delim = ",", best = -1;
    [",", ";", "\t"].forEach(function (d) {
      var n = first.split(d).length - 1;
      if (n > best) { best = n; delim = d; }
    });
    var rows = [], row = [], cell = "", quoted = false, n = text.length, D = delim.charCodeAt(0);
    i = 0;
    // Plain and quoted runs taken whole.
    while (i < n) {
      var c = text.charCodeAt(i), j;
      if (quoted) {
        j = text.indexOf('"', i);
        if (j < 0) { cell += text.slice(i); break; }
        cell += text.slice(i, j);
        if (text[j + 1] === '"') { cell += '"'; i = j + 2; continue; }
        quoted = false; i = j + 1; continue;
      }
      if (c === 34) { quoted = true; i++; continue; }
      if (c === D) { row.push(cell); cell = ""; i++; continue; }
      if (c === 13 || c === 10) {
        row.push(cell); rows.push(row); row = []; cell = "";
        if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
        i++; continue;
      }
      for (j = i + 1; j < n; j++) { c = text.charCodeAt(j); if (c === 34 || c === D || c === 13 || c === 10) break; }
      cell += text.slice(i, j); i = j;
    }
    if (cell !== "" || row.length > 0) { row.push(cell); rows.push(row); }
    return rows;
  }

  // ---- inflate (RFC 1951), for browsers without DecompressionStream("deflate-raw").
  var LBASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
  var LEXT = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
  var DBASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
  var DEXT = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
  var CLORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

  function huffman(lengths) {
    var counts = new Uint16Array(16), offs = new Uint16Array(16), symbols = new Uint16Array(lengths.length), i;
    for (i = 0; i < lengths.length; i++) counts[lengths[i]]++;
    counts[0] = 0;
    for (i = 1; i < 16; i++) offs[i] = offs[i - 1] + counts[i - 1];
    for (i = 0; i < lengths.length; i++) if (lengths[i]) symbols[offs[lengths[i]]++] = i;
    return { counts: counts, symbols: symbols };
  }

  function inflateJS(src) {
    var pos = 0, bit = 0, bitCount = 0;
    var out = new Uint8Array(Math.max(1024, src.length * 4)), len = 0;
    function need(k) {
      if (len + k <= out.length) return;
      var bigger = new Uint8Array(Math.max(out.length * 2, len + k));
      bigger.set(out.subarray(0, len));
      out = bigger;
    }
    function bits(k) {
      while (bitCount < k) {
        if (pos >= src.length) throw new Error("truncated deflate data");
        bit |= src[pos++] << bitCount;
        bitCount += 8;
      }
      var v = bit & ((1 << k) - 1);
      bit >>>= k;
      bitCount -= k;
      return v;
    }
    function decode(h) {
      var code = 0, first = 0, index = 0;
      for (var l = 1; l < 16; l++) {
        code |= bits(1);
        var count = h.counts[l];
        if (code - first < count) return h.symbols[index + code - first];
        index += count;
        first = (first + count) << 1;
        code <<= 1;
      }
      throw new Error("bad deflate code");
    }
    var fixedL = null, fixedD = null, last = 0;
    while (!last) {
      last = bits(1);
      var type = bits(2), lit, dist, i;
      if (type === 0) {
        bit = 0; bitCount = 0;
        if (pos + 4 > src.length) throw new Error("truncated deflate data");
        var n = src[pos] | (src[pos + 1] << 8);
        pos += 4;
        if (pos + n > src.length) throw new Error("truncated deflate data");
        need(n);
        out.set(src.subarray(pos, pos + n), len);
        len += n; pos += n;
        continue;
      }
      if (type === 1) {
        if (!fixedL) {
          var l = new Uint8Array(288);
          for (i = 0; i < 288; i++) l[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
          fixedL = huffman(l);
          var d = new Uint8Array(30);
          for (i = 0; i < 30; i++) d[i] = 5;
          fixedD = huffman(d);
        }
        lit = fixedL; dist = fixedD;
      } else if (type === 2) {
        var hlit = bits(5) + 257, hdist = bits(5) + 1, hclen = bits(4) + 4;
        var cl = new Uint8Array(19);
        for (i = 0; i < hclen; i++) cl[CLORDER[i]] = bits(3);
        var clh = huffman(cl), lengths = new Uint8Array(hlit + hdist);
        i = 0;
        while (i < hlit + hdist) {
          var sym = decode(clh);
          if (sym < 16) { lengths[i++] = sym; continue; }
          var rep = 0, prev = 0;
          if (sym === 16) { if (i === 0) throw new Error("bad deflate lengths"); prev = lengths[i - 1]; rep = 3 + bits(2); }
          else if (sym === 17) rep = 3 + bits(3);
          else rep = 11 + bits(7);
          if (i + rep > hlit + hdist) throw new Error("bad deflate lengths");
          while (rep--) lengths[i++] = prev;
        }
        lit = huffman(lengths.subarray(0, hlit));
        dist = huffman(lengths.subarray(hlit));
      } else {
        throw new Error("bad deflate block");
      }
      for (;;) {
        var s = decode(lit);
        if (s < 256) { need(1); out[len++] = s; continue; }
        if (s === 256) break;
        s -= 257;
        if (s >= 29) throw new Error("bad deflate length");
        var length = LBASE[s] + bits(LEXT[s]);
        var ds = decode(dist);
        if (ds >= 30) throw new Error("bad deflate distance");
        var back = DBASE[ds] + bits(DEXT[ds]);
        if (back > len) throw new Error("bad deflate distance");
        need(length);
        for (i = 0; i < length; i++) { out[len] = out[len - back]; len++; }
      }
    }
    return out.subarray(0, len);
  }

  function hasNativeInflate() {
    if (typeof DecompressionStream !== "function") return false;
    try { new DecompressionStream("deflate-raw"); return true; } catch (e) { return false; }
  }

  function inflate(bytes) {
    // Which inflate ran is left on the page, so the browser test can tell the fallback was exercised.
    var native = hasNativeInflate();
    if (app) app.setAttribute("data-inflate", native ? "native" : "javascript");
    if (!native) return Promise.resolve(inflateJS(bytes));
    var ds = new DecompressionStream("deflate-raw");
    var writer = ds.writable.getWriter();
    writer.write(bytes);
    writer.close();
    var reader = ds.readable.getReader(), parts = [], total = 0;
    function pump() {
      return reader.read().then(function (r) {
        if (r.done) {
          var out = new Uint8Array(total), o = 0;
          parts.forEach(function (p) { out.set(p, o); o += p.length; });
          return out;
        }
        parts.push(r.value); total += r.value.length;
        return pump();
      });
    }
    return pump();
  }

  // ---- ZIP (the central directory; stored and deflated entries; no ZIP64, no encryption).
  function readZip(bytes) {
    var view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), eocd = -1, i;
    for (i = bytes.length - 22; i >= Math.max(0, bytes.length - 65557); i--) {
      if (view.getUint32(i, true) === 0x06054b50) { eocd = i; break; }
    }
    if (eocd < 0) throw new Error(state.lang === "zh" ? "不是 xlsx（ZIP）文件" : "not an xlsx (ZIP) file");
    var count = view.getUint16(eocd + 10, true), off = view.getUint32(eocd + 16, true), entries = {};
    for (i = 0; i < count; i++) {
      if (off + 46 > bytes.length || view.getUint32(off, true) !== 0x02014b50) throw new Error("bad ZIP directory");
      var method = view.getUint16(off + 10, true), size = view.getUint32(off + 20, true);
      var nameLen = view.getUint16(off + 28, true), extra = view.getUint16(off + 30, true), comment = view.getUint16(off + 32, true);
      var local = view.getUint32(off + 42, true);
      var name = new TextDecoder("utf-8").decode(bytes.subarray(off + 46, off + 46 + nameLen));
      entries[name.replace(/^\//, "")] = { method: method, size: size, local: local };
      off += 46 + nameLen + extra + comment;
    }
    return {
      names: Object.keys(entries),
      read: function (name) {
        var e = entries[name];
        if (!e) return Promise.resolve(null);
        if (e.local + 30 > bytes.length || view.getUint32(e.local, true) !== 0x04034b50) return Promise.reject(new Error("bad ZIP entry " + name));
        var start = e.local + 30 + view.getUint16(e.local + 26, true) + view.getUint16(e.local + 28, true);
        var data = bytes.subarray(start, Math.min(bytes.length, start + e.size));
        if (e.method === 0) return Promise.resolve(data);
        if (e.method === 8) return inflate(data);
        return Promise.reject(new Error("unsupported ZIP method " + e.method));
      }
    };
  }

  function xml(bytes) {
    return new DOMParser().parseFromString(new TextDecoder("utf-8").decode(bytes), "application/xml");
  }
  function tags(node, name) { return node.getElementsByTagNameNS("*", name); }
  function textOf(node) {
    // A shared or inline string is the concatenation of its runs, phonetic guides left out.
    var s = "", ts = tags(node, "t");
    for (var i = 0; i < ts.length; i++) {
      var p = ts[i].parentNode;
      if (p && p.localName === "rPh") continue;
      s += ts[i].textContent;
    }
    return s;
  }

  // Built-in formats that are dates or times (as the Swift reader: 14–22, 27–36, 45–47, 50–58).
  function builtinDate(id) { return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58); }
  function customDate(code) {
    var q = false, b = false;
    for (var i = 0; i < code.length; i++) {
      var c = code[i];
      if (q) { if (c === '"') q = false; continue; }
      if (b) { if (c === "]") b = false; continue; }
      if (c === '"') q = true;
      else if (c === "[") b = true;
      else if (c === "\\" || c === "_" || c === "*") i++;
      else if ("yYmMdDhHsS".indexOf(c) >= 0) return true;
      else if (c === "@") return false;
    }
    return false;
  }

  function serialToISO(serial, s1904) {
    if (!isFinite(serial) || serial <= -1000000 || serial >= 3000000) return String(serial);
    var days = Math.floor(serial), seconds = Math.round((serial - days) * 86400);
    if (seconds >= 86400) { days += 1; seconds -= 86400; }
    var offset = s1904 ? -24107 : days < 60 ? -25568 : -25569;
    var d = new Date((days + offset) * 86400000);
    var s = String(d.getUTCFullYear()).padStart(4, "0") + "-" + pad2(d.getUTCMonth() + 1) + "-" + pad2(d.getUTCDate());
    if (seconds > 0) s += "T" + pad2(Math.floor(seconds / 3600)) + ":" + pad2(Math.floor(seconds / 60) % 60) + ":" + pad2(seconds % 60);
    return s;
  }

  function columnIndex(ref) {
    var m = /^([A-Z]+)/.exec(ref || ""), n = 0;
    if (!m) return -1;
    for (var i = 0; i < m[1].length; i++) n = n * 26 + (m[1].charCodeAt(i) - 64);
    return n - 1;
  }

  function readXLSX(bytes) {
    var zip = readZip(bytes);
    var shared = [], dateStyle = [], s1904 = false, sheets = [];
    return Promise.all(["xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml", "xl/styles.xml"].map(zip.read)).then(function (parts) {
      if (!parts[0]) throw new Error(state.lang === "zh" ? "xlsx 中没有 workbook.xml" : "no workbook.xml in the xlsx file");
      var wb = xml(parts[0]), rels = {}, i;
      var pr = tags(wb, "workbookPr")[0];
      if (pr) { var f = (pr.getAttribute("date1904") || "").toLowerCase(); s1904 = f === "1" || f === "true"; }
      if (parts[1]) {
        var rs = tags(xml(parts[1]), "Relationship");
        for (i = 0; i < rs.length; i++) rels[rs[i].getAttribute("Id")] = rs[i].getAttribute("Target");
      }
      if (parts[2]) {
        var si = tags(xml(parts[2]), "si");
        for (i = 0; i < si.length; i++) shared.push(textOf(si[i]));
      }
      if (parts[3]) {
        var st = xml(parts[3]), custom = {}, nf = tags(st, "numFmt");
        for (i = 0; i < nf.length; i++) custom[nf[i].getAttribute("numFmtId")] = nf[i].getAttribute("formatCode") || "";
        var xfs = tags(st, "cellXfs")[0];
        if (xfs) {
          var xf = xfs.childNodes;
          for (i = 0; i < xf.length; i++) {
            if (xf[i].localName !== "xf") continue;
            var id = xf[i].getAttribute("numFmtId") || "0";
            dateStyle.push(custom[id] !== undefined ? customDate(custom[id]) : builtinDate(parseInt(id, 10)));
          }
        }
      }
      var sh = tags(wb, "sheet");
      for (i = 0; i < sh.length; i++) {
        var rid = sh[i].getAttributeNS("http://schemas.openxmlformats.org/officeDocument/2006/relationships", "id") || sh[i].getAttribute("r:id");
        var target = rels[rid];
        if (!target) continue;
        var path = target.charAt(0) === "/" ? target.slice(1) : "xl/" + target;
        sheets.push({ name: sh[i].getAttribute("name"), path: path.replace(/\/\.\//g, "/") });
      }
      return Promise.all(sheets.map(function (s) { return zip.read(s.path); }));
    }).then(function (datas) {
      return sheets.map(function (s, k) {
        var rows = [];
        if (!datas[k]) return { name: s.name, rows: rows };
        var rowNodes = tags(xml(datas[k]), "row");
        for (var r = 0; r < rowNodes.length; r++) {
          var rn = parseInt(rowNodes[r].getAttribute("r") || String(r + 1), 10) - 1, cells = [];
          var cs = tags(rowNodes[r], "c");
          for (var c = 0; c < cs.length; c++) {
            var cell = cs[c], ci = columnIndex(cell.getAttribute("r"));
            if (ci < 0) ci = cells.length;
            var t = cell.getAttribute("t") || "n", v = tags(cell, "v")[0], vt = v ? v.textContent : null, val = null;
            if (t === "s") val = vt === null ? null : shared[parseInt(vt, 10)];
            else if (t === "inlineStr") val = textOf(cell);
            else if (t === "str" || t === "e" || t === "d") val = vt;
            else if (t === "b") val = vt === null ? null : vt === "1" || vt === "true";
            else if (vt !== null && vt !== "") {
              var x = Number(vt), style = parseInt(cell.getAttribute("s") || "0", 10);
              val = dateStyle[style] ? serialToISO(x, s1904) : x;
            }
            while (cells.length < ci) cells.push(null);
            cells[ci] = val === undefined ? null : val;
          }
          while (rows.length < rn) rows.push([]);
          rows[rn] = cells;
        }
        return { name: s.name, rows: rows };
      });
    });
  }

  // ---- mapping a table to an entity: by its header row (names and labels, units in brackets dropped), then by file name.
  function normHeader(h) {
    return String(h === null || h === undefined ? "" : h).replace(/[\s\u3000]+/g, "").replace(/[（(][^（）()]*[)）]$/, "").toLowerCase();
  }
  var headerIndex = null;
  function entityHeaders() {
    if (headerIndex) return headerIndex;
    headerIndex = IR.entities.map(function (e) {
      var names = {};
      e.fields.forEach(function (f) { names[normHeader(f.name)] = true; names[normHeader(f.label)] = true; });
      return { entity: e, names: names };
    });
    return headerIndex;
  }

  function mapTable(name, rows) {
    var best = { score: 0, row: 0, entity: null };
    var lower = name.toLowerCase();
    for (var r = 0; r < Math.min(rows.length, 20); r++) {
      entityHeaders().forEach(function (ix) {
        var seen = {}, score = 0;
        (rows[r] || []).forEach(function (h) {
          var k = normHeader(h);
          if (k && ix.names[k] && !seen[k]) { seen[k] = true; score++; }
        });
        var named = lower.indexOf(ix.entity.name.toLowerCase()) >= 0 || name.indexOf(ix.entity.label) >= 0;
        var s = score * 2 + (named && score > 0 ? 1 : 0);
        if (s > best.score) best = { score: s, row: r, entity: ix.entity.name };
      });
    }
    // Headers (blanks, repeats dropped), non-blank rows' cells.
    var headerRow = best.row, headers = rows[headerRow] || [], header = [], keep = [], seen = Object.create(null), cells = [], skipped = false;
    for (var c = 0; c < headers.length; c++) {
      var h = headers[c];
      if (h === null || h === undefined || String(h).trim() === "" || seen[String(h)]) continue;
      seen[String(h)] = true;
      header.push(String(h));
      keep.push(c);
    }
    var multiline = rows.some(function (r) { return (r || []).some(function (c) { return typeof c === "string" && /[\r\n]/.test(c); }); });
    for (var i = headerRow + 1; i < rows.length; i++) {
      var row = rows[i] || [], blank = true, out = new Array(keep.length);
      for (var j = 0; j < keep.length; j++) {
        var v = keep[j] < row.length ? row[keep[j]] : null;
        if (v === undefined) v = null;
        if (blank && v !== null && String(v).trim() !== "") blank = false;
        out[j] = v;
      }
      if (!blank) cells.push(out); else skipped = true;
    }
    // The evaluator numbers a record's line as its index + 2; that is the file's line only when the
    // header is the first row and no row was skipped or spread over several lines.
    return { name: name, entity: best.entity, headerRow: headerRow + 1, header: header, cells: cells, exactLines: headerRow === 0 && !skipped && !multiline };
  }

  function readFile(file) {
    return new Promise(function (resolve, reject) {
      var fr = new FileReader();
      fr.onload = function () { resolve(new Uint8Array(fr.result)); };
      fr.onerror = function () { reject(fr.error || new Error("read error")); };
      fr.readAsArrayBuffer(file);
    });
  }

  // Turns opened files into tables; an xlsx gives one table per non-empty sheet.
  function openFiles(files, into) {
    var list = Array.prototype.slice.call(files);
    return Promise.all(list.map(function (file) {
      return readFile(file).then(function (bytes) {
        // An OLE compound file is an old .xls or an encrypted workbook: not text, and not readable here.
        if (bytes.length > 8 && bytes[0] === 0xD0 && bytes[1] === 0xCF && bytes[2] === 0x11 && bytes[3] === 0xE0) throw new Error(w("oldXLS"));
        var zip = bytes.length > 4 && bytes[0] === 0x50 && bytes[1] === 0x4B;
        if (zip) {
          return readXLSX(bytes).then(function (sheets) {
            return sheets.filter(function (s) { return s.rows.length > 1; }).map(function (s) {
              return mapTable(file.name + "#" + s.name, s.rows);
            });
          });
        }
        return [mapTable(file.name, parseCSV(decodeText(bytes)))];
      }).catch(function (e) {
        state.message = w("readError", { f: file.name, e: e && e.message ? e.message : String(e) });
        return [];
      });
    })).then(function (groups) {
      groups.forEach(function (g) { g.forEach(function (t) { into.push(t); }); });
      state.report = null;
      render();
    });
  }

  // ---- the data the evaluator gets: form records (those with anything typed) and the opened tables.
  function formRecords(entity) {
    return (state.forms[entity] || []).filter(function (r) {
      return Object.keys(r).some(function (k) { return r[k] !== "" && r[k] !== null; });
    }).map(function (r) {
      var o = {};
      Object.keys(r).forEach(function (k) { o[k] = r[k] === "" ? null : r[k]; });
      return o;
    });
  }
  // Also the name each entity's data goes by in the report (its files, or the form) and whether the
  // evaluator's line numbers are the file's (see mapTable).
  function gatherTables(list, withForms) {
    var tables = {}, paths = {}, exact = {}, any = false;
    IR.entities.forEach(function (e) {
      var forms = withForms ? formRecords(e.name) : [], sources = forms.length ? [w("formSource")] : [], lines = !forms.length;
      var parts = [], n = forms.length;
      list.forEach(function (t) {
        if (t.entity !== e.name) return;
        parts.push(t);
        n += t.cells.length;
        sources.push(t.name);
        lines = lines && t.exactLines;
      });
      if (!n) return;
      // One file as it is; else records.
      var rows = forms;
      if (!forms.length && parts.length === 1) rows = { header: parts[0].header, rows: parts[0].cells };
      else parts.forEach(function (t) { rows = rows.concat(t.cells.map(function (r) { var o = {}; t.header.forEach(function (h, j) { o[h] = r[j]; }); return o; })); });
      tables[e.name] = rows;
      paths[e.name] = sources.join(" + ");
      exact[paths[e.name]] = lines && sources.length === 1;
      any = true;
    });
    return any ? { tables: tables, paths: paths, exact: exact } : null;
  }

  function selectedIR() {
    var ids = Object.keys(state.selected).filter(function (k) { return state.selected[k]; }).sort();
    var copy = {};
    Object.keys(IR).forEach(function (k) { copy[k] = IR[k]; });
    copy.rules = IR.rules.filter(function (r) { return state.selected[r.ruleset]; });
    return { key: ids.join(","), ir: copy };
  }

  function evaluate() {
    var ev = globalThis.dabiao;
    var data = gatherTables(state.tables, true);
    if (!data) { state.message = w("nothing"); render(); return; }
    var sel = selectedIR();
    try {
      // Only the chosen rulesets' rules go to the evaluator, so its rectification list is the one for them alone.
      if (state.loadedKey !== sel.key) {
        if (typeof ev.load === "function") ev.load(sel.ir); else globalThis.DABIAO_IR = sel.ir;
        state.loadedKey = sel.key;
      }
      var options = { asOf: state.asOf, lang: state.lang, paths: data.paths };
      var base = gatherTables(state.baseline, false);
      if (base) { options.baseline = base.tables; options.baselinePaths = base.paths; }
      state.exactLines = data.exact;
      var t0 = performance.now();
      var report = ev.check(data.tables, options);
      state.evalMs = performance.now() - t0;
      state.report = keepSelected(report);
      state.message = null;
      state.shown = 50;
      state.rectShown = 50;
    } catch (e) {
      state.report = null;
      state.message = w("evalError", { e: e && e.message ? e.message : String(e) });
    }
    render();
  }

  // An evaluator that ignored the narrowed program still shows only the chosen rulesets.
  function keepSelected(report) {
    if (!report || !report.results || IR.rulesets.every(function (s) { return state.selected[s.id]; })) return report;
    var keep = report.results.filter(function (r) { return state.selected[r.ruleset]; });
    if (keep.length === report.results.length) return report;
    var rules = {};
    keep.forEach(function (r) { rules[r.rule] = true; });
    var s = { results: keep.length, pass: 0, fail: 0, waived: 0, notApplicable: 0, missing: 0, undefined: 0, byLevel: { error: 0, warning: 0, info: 0 } };
    keep.forEach(function (r) {
      var k = r.outcome === "not-applicable" ? "notApplicable" : r.outcome;
      if (s[k] !== undefined) s[k]++;
      if (r.outcome === "fail" && r.level && s.byLevel[r.level] !== undefined) s.byLevel[r.level]++;
    });
    var rect = (report.rectification || []).map(function (item) {
      var c = {};
      Object.keys(item).forEach(function (k) { c[k] = item[k]; });
      c.changes = (item.changes || []).filter(function (ch) { return (ch.rules || []).some(function (x) { return rules[x]; }); });
      c.passesAfter = (item.passesAfter || []).filter(function (x) { return rules[x]; });
      c.stillFailing = (item.stillFailing || []).filter(function (x) { return rules[x]; });
      return c;
    }).filter(function (c) { return c.changes.length || c.stillFailing.length; });
    return { summary: s, results: keep, rectification: rect, dataErrors: report.dataErrors || [], notes: report.notes || [] };
  }

  // ---- exports
  function download(name, text, type) {
    var blob = new Blob([text], { type: type });
    var a = el("a", { href: URL.createObjectURL(blob), download: name });
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }
  function csvCell(s) {
    s = s === null || s === undefined ? "" : String(s);
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  // As CSVReport.fix (forFile: exact numbers) and RenderSupport.fixText (for people).
  function fixText(entity, f, forFile) {
    var name = f.label || fieldLabel(entity, f.field);
    var z = state.lang === "zh";
    if (f.to === null || f.to === undefined) return name + (forFile ? " " : z ? "：" : ": ") + (f.reason || w("noRemedy"));
    if (forFile) {
      var t = name + " " + (f.from === null || f.from === undefined ? "—" : exact(f.from)) + "→" + exact(f.to);
      if (f.delta !== null && f.delta !== undefined) t += " (" + signed(f.delta, exact) + (f.unit ? " " + f.unit : "") + ")";
      else if (f.unit) t += " " + f.unit;
      return t + (f.action ? " " + f.action : "");
    }
    var s = name + " " + num(f.from) + " → " + num(f.to) + (f.unit ? " " + f.unit : "");
    if (f.delta !== null && f.delta !== undefined) s += z ? "（" + signed(f.delta) + "）" : " (" + signed(f.delta) + ")";
    return s + (f.action ? " " + f.action : "");
  }
  function exportCSV() {
    var z = state.lang === "zh";
    var head = z ? ["规则集", "规则编号", "规则名称", "实体", "记录编号", "名称", "市州", "结果", "级别", "指标", "说明", "依据", "缺失字段", "整改"]
      : ["ruleset", "rule", "title", "entity", "key", "name", "city", "outcome", "level", "measures", "message", "cite", "missing fields", "fixes"];
    var lines = [head.map(csvCell).join(",")];
    state.report.results.forEach(function (r) {
      lines.push([r.ruleset, r.rule, r.title, r.entity, r.key, r.name, r.city, w(r.outcome), r.level ? w(r.level) : "",
        (r.measures || []).map(function (m) { return m.name + "=" + (m.value === null || m.value === undefined ? "—" : exact(m.value)) + (m.unit ? " " + m.unit : ""); }).join("; "),
        r.message, r.cite,
        ((r.missingLabels || []).length ? r.missingLabels : (r.missingFields || []).map(function (f) { return fieldLabel(r.entity, f); })).join("; "),
        (r.fixes || []).map(function (f) { return fixText(r.entity, f, true); }).join("; ")].map(csvCell).join(","));
    });
    download("dabiao-" + state.asOf + ".csv", "\uFEFF" + lines.join("\r\n") + "\r\n", "text/csv;charset=utf-8");
  }
  // The report's shape (dabiao check --format json), so dabiao diff reads it.
  function reportJSON() {
    var r = state.report, inputs = [];
    state.tables.forEach(function (t) { if (t.entity) inputs.push({ entity: t.entity, path: t.name, records: t.cells.length, rejected: 0 }); });
    IR.entities.forEach(function (e) {
      var n = formRecords(e.name).length;
      if (n) inputs.push({ entity: e.name, path: "form", records: n, rejected: 0 });
    });
    return {
      tool: "dabiao", version: IR.version, asOf: state.asOf,
      rulesets: IR.rulesets.filter(function (s) { return state.selected[s.id]; }).map(function (s) {
        return { id: s.id, title: s.title, version: s.version, source: s.source };
      }),
      inputs: inputs, rulesFiles: IR.rulesFiles, summary: r.summary, results: r.results,
      rectification: r.rectification, dataErrors: r.dataErrors, notes: r.notes || [], waivers: [],
      generator: "dabiao page"
    };
  }
  function exportJSON() {
    download("dabiao-" + state.asOf + ".json", JSON.stringify(reportJSON(), null, 2) + "\n", "application/json");
  }

  // ---- rendering
  var app = document.getElementById("app");

  function render() {
    while (app.firstChild) app.removeChild(app.firstChild);
    document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
    app.appendChild(el("header", null, [
      el("button", { id: "lang", cls: "lang", type: "button", text: w("lang"), onclick: function () {
        state.lang = state.lang === "zh" ? "en" : "zh";
        if (state.report) evaluate(); else render();
      } }),
      el("h1", { text: w("title") }),
      el("p", { text: w("intro") })
    ]));
    if (!IR || !IR.entities) { app.appendChild(el("p", { cls: "alarm", text: w("noIR") })); return; }
    var ev = globalThis.dabiao;
    if (!ev || typeof ev.check !== "function") app.appendChild(el("p", { id: "no-evaluator", cls: "alarm", text: w("noEvaluator") }));
    app.appendChild(carried());
    app.appendChild(rulesetSection());
    app.appendChild(dataSection());
    app.appendChild(el("section", { cls: "run no-print" }, [
      el("label", null, [w("asOf") + " ", el("input", { id: "as-of", type: "date", value: state.asOf, onchange: function (e) { state.asOf = e.target.value || localToday(); } })]),
      el("button", { id: "run", type: "button", cls: "primary", text: w("run"), disabled: !ev || typeof ev.check !== "function", onclick: function () {
        var b = document.getElementById("run");
        b.textContent = w("running");
        b.disabled = true;
        // Let the browser draw "evaluating" before a long synchronous check.
        setTimeout(evaluate, 30);
      } })
    ]));
    if (state.message) app.appendChild(el("p", { id: "message", cls: "alarm", text: state.message }));
    if (state.report) app.appendChild(resultsSection(state.report));
  }

  function carried() {
    var list = el("ul", { cls: "files" }, IR.rulesFiles.map(function (f) {
      return el("li", null, [el("code", { text: f.path }), " ", el("code", { cls: "sum", text: "SHA-256 " + f.sha256 })]);
    }));
    return el("details", { id: "carried", cls: "carried" }, [
      el("summary", { text: w("carries") + "（dabiao " + IR.version + "，IR " + IR.irVersion + "，" + IR.rulesFiles.length + "）" }),
      list,
      el("p", { cls: "small", text: w("tested") + TESTED })
    ]);
  }

  function rulesetSection() {
    var counts = {};
    IR.rules.forEach(function (r) { counts[r.ruleset] = (counts[r.ruleset] || 0) + 1; });
    var boxes = IR.rulesets.map(function (s) {
      return el("label", { cls: "ruleset" }, [
        el("input", { type: "checkbox", name: "ruleset", value: s.id, checked: state.selected[s.id], onchange: function (e) {
          state.selected[s.id] = e.target.checked; state.report = null;
        } }),
        " " + s.title + " ", el("span", { cls: "small", text: s.id + (s.version ? " · " + s.version : "") + " · " + (counts[s.id] || 0) })
      ]);
    });
    function all(v) { return function () { IR.rulesets.forEach(function (s) { state.selected[s.id] = v; }); state.report = null; render(); }; }
    return el("section", { cls: "rulesets" }, [
      el("h2", { text: w("rulesets") }),
      el("div", { cls: "no-print" }, [el("button", { type: "button", text: w("all"), onclick: all(true) }), " ",
        el("button", { type: "button", text: w("none"), onclick: all(false) })]),
      el("div", { cls: "grid" }, boxes)
    ]);
  }

  function fileList(list) {
    return el("ul", { cls: "tables" }, list.map(function (t, i) {
      var sel = el("select", { "data-table": String(i), onchange: function (e) { t.entity = e.target.value || null; state.report = null; render(); } },
        [el("option", { value: "", text: w("unmapped") })].concat(IR.entities.map(function (e) {
          var o = el("option", { value: e.name, text: e.label + " (" + e.name + ")" });
          if (t.entity === e.name) o.selected = true;
          return o;
        })));
      return el("li", null, [el("strong", { text: t.name }), " → ", sel, " ",
        el("span", { cls: "small", text: t.cells.length + " " + w("rows") + " · " + w("headerRow", { n: t.headerRow }) }), " ",
        el("button", { type: "button", cls: "no-print", text: w("remove"), onclick: function () { list.splice(i, 1); state.report = null; render(); } })]);
    }));
  }

  function dropZone(id, label, into) {
    var input = el("input", { id: id, type: "file", multiple: true, accept: ".csv,.txt,.tsv,.xlsx", onchange: function (e) { openFiles(e.target.files, into); } });
    var zone = el("label", { cls: "drop no-print" }, [label + " ", input, el("span", { cls: "small", text: " " + w("drop") })]);
    zone.addEventListener("dragover", function (e) { e.preventDefault(); zone.classList.add("over"); });
    zone.addEventListener("dragleave", function () { zone.classList.remove("over"); });
    zone.addEventListener("drop", function (e) { e.preventDefault(); zone.classList.remove("over"); openFiles(e.dataTransfer.files, into); });
    return zone;
  }

  function dataSection() {
    var parts = [el("h2", { text: w("data") }), dropZone("files", w("openFiles"), state.tables)];
    if (state.tables.length) parts.push(fileList(state.tables));
    IR.entities.forEach(function (e, i) { parts.push(entityForm(e, i === 0)); });
    parts.push(el("details", { cls: "baseline no-print" }, [el("summary", { text: w("baseline") }), dropZone("baseline-files", w("openFiles"), state.baseline),
      state.baseline.length ? fileList(state.baseline) : null]));
    return el("section", { cls: "data" }, parts);
  }

  function entityForm(e, open) {
    var records = state.forms[e.name] || (state.forms[e.name] = [{}]);
    var body = records.map(function (rec, k) {
      return el("fieldset", { cls: "record", "data-entity": e.name, "data-record": String(k) }, [
        el("legend", { text: w("record") + " " + (k + 1) })
      ].concat(e.fields.map(function (f) { return fieldInput(e, f, rec, k); })).concat([
        records.length > 1 ? el("button", { type: "button", cls: "no-print", text: w("remove"), onclick: function () { records.splice(k, 1); render(); } }) : null
      ]));
    });
    // Which forms are open survives a redraw (opening a file redraws the page).
    if (state.openForms[e.name] === undefined) state.openForms[e.name] = open;
    var d = el("details", { cls: "entity-form", id: "form-" + e.name, open: state.openForms[e.name] }, [
      el("summary", { text: w("form") + "：" + e.label + " (" + e.name + ")" + " · " + formRecords(e.name).length + " " + w("records") })
    ].concat(body).concat([el("button", { type: "button", cls: "no-print add", "data-add": e.name, text: w("addRecord"), onclick: function () {
      records.push({}); state.openForms[e.name] = true; render();
    } })]));
    d.addEventListener("toggle", function () { state.openForms[e.name] = d.open; });
    return d;
  }

  function fieldInput(e, f, rec, k) {
    var v = rec[f.name] === undefined ? "" : rec[f.name];
    var common = { "data-entity": e.name, "data-field": f.name, "data-record": String(k), name: e.name + "." + k + "." + f.name };
    function set(ev) { rec[f.name] = ev.target.value; state.report = null; }
    var input;
    if (f.oneOf && f.oneOf.length) {
      input = el("select", Object.assign({ onchange: set }, common), [el("option", { value: "", text: "—" })].concat(f.oneOf.map(function (o) {
        var opt = el("option", { value: o, text: o }); if (o === v) opt.selected = true; return opt;
      })));
    } else if (f.kind === "bool") {
      input = el("select", Object.assign({ onchange: set }, common), [["", "—"], ["是", w("yes")], ["否", w("no")]].map(function (p) {
        var opt = el("option", { value: p[0], text: p[1] }); if (p[0] === v) opt.selected = true; return opt;
      }));
    } else if (f.kind === "date") {
      input = el("input", Object.assign({ type: "date", value: v, onchange: set }, common));
    } else {
      var numeric = f.kind === "integer" || f.kind === "number";
      input = el("input", Object.assign({ type: "text", value: v, oninput: set, inputmode: numeric ? "decimal" : null }, common));
    }
    var unit = unitOf(f);
    return el("label", { cls: "field" + (f.optional ? " optional" : "") + (f.key ? " key" : "") }, [
      el("span", { cls: "label", text: f.label + (unit ? "（" + unit + "）" : "") }),
      f.optional ? el("span", { cls: "opt", text: w("optional") }) : null,
      input
    ]);
  }

  function badge(outcome, level) {
    return el("span", { cls: "badge " + outcome + (level ? " " + level : ""), text: w(outcome) + (outcome === "fail" && level ? " · " + w(level) : "") });
  }

  function resultsSection(r) {
    var s = r.summary || {};
    var sec = el("section", { id: "results", cls: "results" });
    sec.appendChild(el("h2", { text: w("summary") }));
    var row = [["results", s.results], ["pass", s.pass], ["fail", s.fail], ["waived", s.waived], ["not-applicable", s.notApplicable], ["missing", s.missing], ["undefined", s.undefined]];
    sec.appendChild(el("p", { id: "summary", cls: "summary", "data-summary": JSON.stringify(s), "data-eval-ms": state.evalMs === null ? null : state.evalMs.toFixed(1) },
      row.map(function (p) { return el("span", { cls: "count " + p[0], "data-count": p[0], text: w(p[0]) + " " + (p[1] || 0) }); }).concat(
        s.byLevel ? [el("span", { cls: "small", text: " （" + ["error", "warning", "info"].map(function (l) { return w(l) + " " + (s.byLevel[l] || 0); }).join("，") + "）" })] : []
      ).concat([el("span", { cls: "small", text: " · " + w("evalMs", { ms: state.evalMs === null ? "?" : Math.round(state.evalMs) }) })])));
    sec.appendChild(el("p", { cls: "no-print actions" }, [
      el("button", { id: "export-csv", type: "button", text: w("exportCSV"), onclick: exportCSV }), " ",
      el("button", { id: "export-json", type: "button", text: w("exportJSON"), onclick: exportJSON }), " ",
      el("button", { type: "button", text: w("print"), onclick: function () { window.print(); } })
    ]));
    sec.appendChild(rectificationTable(r.rectification || []));
    var problems = (r.dataErrors || []).concat(r.notes || []);
    if (problems.length) {
      sec.appendChild(el("h2", { text: w("dataErrors") }));
      sec.appendChild(el("table", { id: "data-errors" }, [el("tr", null, [w("file"), w("line"), w("column"), w("value"), ""].map(function (h) { return el("th", { text: h }); }))].concat(
        problems.map(function (d) {
          return el("tr", null, [d.path, where(d), d.column, d.value, d.reason].map(function (x) { return el("td", { text: x === null || x === undefined ? "" : String(x) }); }));
        }))));
    }
    sec.appendChild(byRecord(r.results || []));
    return sec;
  }

  // A file's line where the evaluator's count is the file's; else the record's number in the data.
  function where(d) {
    if (d.line === null || d.line === undefined) return "";
    if (state.exactLines && state.exactLines[d.path]) return String(d.line);
    return w("recordNo", { n: d.line - 1 });
  }

  function rectificationTable(items) {
    var box = el("div", { id: "rectification" }, [el("h2", { text: w("rectification") })]);
    if (!items.length) { box.appendChild(el("p", { text: w("noRectification") })); return box; }
    var sorted = byEntityOrder(items);
    sorted.slice(0, state.rectShown).forEach(function (it) {
      var e = entityByName(it.entity);
      box.appendChild(el("div", { cls: "rect-item", "data-key": it.key }, [
        el("h3", { text: (e ? e.label : it.entity) + " " + it.key + (it.name ? " " + it.name : "") }),
        el("p", { cls: "small", text: [it.owner ? w("owner") + "：" + it.owner : "", it.deadline ? w("deadline") + "：" + it.deadline : ""].filter(Boolean).join("　") }),
        el("ul", null, (it.changes || []).map(function (c) {
          return el("li", { cls: "change" }, [el("strong", { text: c.label || fieldLabel(it.entity, c.field) }), " " + num(c.from) + " → " + num(c.to) +
            (c.delta !== null && c.delta !== undefined ? "（" + signed(c.delta) + (c.unit ? " " + c.unit : "") + "）" : "") + (c.action ? " " + c.action : "") + " · " + (c.rules || []).join(", ")]);
        })),
        (it.passesAfter || []).length ? el("p", { cls: "small", text: w("passesAfter") + "：" + it.passesAfter.join(", ") }) : null,
        (it.stillFailing || []).length ? el("p", { cls: "small warn", text: w("stillFailing") + "：" + it.stillFailing.join(", ") }) : null,
        (it.unresolved || []).length ? el("ul", { cls: "small warn" }, it.unresolved.map(function (u) {
          return el("li", { text: u.rule + "：" + (u.reason || "") });
        })) : null,
        (it.conflicts || []).length ? el("ul", { cls: "small warn" }, it.conflicts.map(function (c) {
          return el("li", { text: typeof c === "string" ? c : JSON.stringify(c) });
        })) : null
      ]));
    });
    if (sorted.length > state.rectShown) {
      box.appendChild(el("button", { type: "button", cls: "no-print", text: w("more", { n: Math.min(200, sorted.length - state.rectShown) }), onclick: function () {
        state.rectShown += 200; render();
      } }));
    }
    return box;
  }

  // Items in the order of the entities (a school before its teachers), otherwise as given.
  function byEntityOrder(items) {
    var order = Object.create(null), lists = IR.entities.map(function (e, i) { order[e.name] = i; return []; });
    items.forEach(function (g) { lists[order[g.entity] || 0].push(g); });
    return [].concat.apply([], lists);
  }

  // Grouped once per report.
  function byRecord(results) {
    var cache = state.report.groups || (state.report.groups = {}), groups = cache[state.onlyProblems];
    if (!groups) {
      var index = new Map();
      groups = [];
      results.forEach(function (x) {
        if (state.onlyProblems && (x.outcome === "pass" || x.outcome === "not-applicable" || x.outcome === "waived")) return;
        var byKey = index.get(x.entity) || index.set(x.entity, new Map()).get(x.entity), g = byKey.get(x.key);
        if (!g) { byKey.set(x.key, g = { entity: x.entity, key: x.key, name: x.name, items: [] }); groups.push(g); }
        g.items.push(x);
      });
      groups = cache[state.onlyProblems] = byEntityOrder(groups);
    }
    var box = el("div", { id: "by-record" }, [el("h2", { text: w("byRecord") }),
      el("label", { cls: "no-print" }, [el("input", { id: "only-problems", type: "checkbox", checked: state.onlyProblems, onchange: function (e) {
        state.onlyProblems = e.target.checked; state.shown = 50; render();
      } }), " " + w("onlyProblems")])]);
    groups.slice(0, state.shown).forEach(function (g) {
      var e = entityByName(g.entity);
      box.appendChild(el("div", { cls: "record-results", "data-entity": g.entity, "data-key": g.key }, [
        el("h3", { text: (e ? e.label : g.entity) + " " + g.key + (g.name ? " " + g.name : "") })
      ].concat(g.items.map(resultItem))));
    });
    if (groups.length > state.shown) {
      box.appendChild(el("button", { type: "button", cls: "no-print", text: w("more", { n: Math.min(200, groups.length - state.shown) }), onclick: function () {
        state.shown += 200; render();
      } }));
    }
    return box;
  }

  function resultItem(x) {
    var parts = [el("div", { cls: "head" }, [badge(x.outcome, x.level), " ", el("strong", { text: x.rule }), " " + x.title])];
    if ((x.measures || []).length) {
      parts.push(el("div", { cls: "measures" }, x.measures.map(function (m) {
        return el("span", { cls: "measure", text: m.name + " " + num(m.value) + (m.unit ? " " + m.unit : "") });
      })));
    }
    if (x.message) parts.push(el("p", { cls: "message", text: x.message }));
    var missing = (x.missingLabels || []).length ? x.missingLabels : (x.missingFields || []).map(function (f) { return fieldLabel(x.entity, f); });
    if (missing.length) parts.push(el("p", { cls: "small warn", text: w("missingFields") + "：" + missing.join("、") }));
    if ((x.fixes || []).length) {
      parts.push(el("ul", { cls: "fixes" }, x.fixes.map(function (f) { return el("li", { cls: "fix", text: fixText(x.entity, f) }); })));
    }
    if (x.cite) parts.push(el("p", { cls: "cite small", text: w("cite") + "：" + x.cite }));
    return el("div", { cls: "result " + x.outcome, "data-rule": x.rule, "data-outcome": x.outcome }, parts);
  }

  if (IR && IR.rulesets) IR.rulesets.forEach(function (s) { state.selected[s.id] = true; });
  render();
})();
