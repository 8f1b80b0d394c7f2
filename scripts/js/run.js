#!/usr/bin/env node
// The differential tests' driver (Tests/DabiaoCoreTests/Page/EvaluatorTests.swift):
//   node run.js REQUEST.json
// REQUEST: {"ir": IR object, "asOf", "lang", "tables": {entity: {"path", "csv"}},
//           "baseline": {entity: {"path", "csv"}} | null, "mode": "check" | "tests" | "numbers",
//           "objects": {entity: {"path", "header": [text…], "rows": [[cell…]]}}, "order": [entity…] (the order of
//           loading), "numbers": [double…]}
// Each CSV text becomes {header, rows} of texts, as the page hands a CSV to dabiao.check.
// Prints the answer with dabiao.stringify (numbers as the Swift reports write them).
'use strict';
const fs = require('fs');
const path = require('path');

// A CSV as the page hands one file to dabiao.check: its header and its rows of cells.
function toRows(text) {
  const rows = parseCSV(text);
  if (!rows.length) return [];
  return { header: rows[0], rows: rows.slice(1) };
}
const { parseCSV } = require('./check.js');
const req = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
require(path.join(__dirname, '../../Sources/DabiaoCore/Resources/page/evaluator.js'));
require('./tests.js');
const dabiao = globalThis.dabiao;
dabiao.load(req.ir);
let out;
if (req.mode === 'tests') {
  out = dabiao.runTests(req.asOf);
} else if (req.mode === 'numbers') {
  out = req.numbers.map(dabiao.numberText);
} else {
  const tables = {}, paths = {}, sheets = {};
  // The files in the order the engine loaded them: its data errors come in that order.
  // "objects": rows given as objects already, numbers and booleans as a sheet's typed cells.
  const objects = req.objects || {};
  for (const e of req.order || Object.keys(req.tables).concat(Object.keys(objects))) {
    const t = req.tables[e] || objects[e];
    tables[e] = t.rows ? t.rows.map(r => { const o = {}; t.header.forEach((h, i) => { o[h] = r[i]; }); return o; }) : toRows(t.csv);
    paths[e] = t.path;
    if (t.rows) sheets[e] = true;
  }
  let baseline;
  if (req.baseline) {
    baseline = {};
    for (const [e, t] of Object.entries(req.baseline)) baseline[e] = toRows(t.csv);
  }
  out = dabiao.check(tables, { asOf: req.asOf, lang: req.lang, paths, sheets, baseline });
}
process.stdout.write(dabiao.stringify(out) + '\n');
