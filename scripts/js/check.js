#!/usr/bin/env node
// Drives the page's evaluator without a browser, for the differential tests:
//   node check.js IR.json AS_OF [--lang en] [--baseline entity=FILE.csv …] entity=FILE.csv …
// reads each CSV (UTF-8, comma-separated, quoted cells) into {header, rows} of texts, as the
// page hands a CSV to dabiao.check, and prints the evaluator's report as JSON with the
// numbers written as the Swift reports write them (dabiao.stringify).
'use strict';
const fs = require('fs');
const path = require('path');

function parseCSV(text) {
  if (text.charCodeAt(0) === 0xFEFF) text = text.slice(1);
  const rows = [];
  let row = [], cell = '', i = 0, quoted = false, any = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { cell += '"'; i += 2; continue; }
        quoted = false; i++; continue;
      }
      cell += c; i++; continue;
    }
    if (c === '"' && cell === '') { quoted = true; any = true; i++; continue; }
    if (c === ',') { row.push(cell); cell = ''; any = true; i++; continue; }
    if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell); rows.push(row); row = []; cell = ''; any = false; i++; continue;
    }
    cell += c; any = true; i++;
  }
  if (any || cell !== '') { row.push(cell); rows.push(row); }
  return rows;
}

// A CSV file as the page hands one to dabiao.check: its header and its rows of cells.
function readTable(file) {
  const rows = parseCSV(fs.readFileSync(file, 'utf8'));
  if (!rows.length) return [];
  return { header: rows[0], rows: rows.slice(1) };
}

if (require.main !== module) { module.exports = { parseCSV, readTable }; return; }
const args = process.argv.slice(2);
const irPath = args.shift(), asOf = args.shift();
let lang = 'zh';
const tables = {}, paths = {}, baseline = {};
let hasBaseline = false;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--lang') { lang = args[++i]; continue; }
  const into = args[i] === '--baseline' ? (hasBaseline = true, baseline) : tables;
  const spec = args[i] === '--baseline' ? args[++i] : args[i];
  const eq = spec.indexOf('=');
  const entity = spec.slice(0, eq), file = spec.slice(eq + 1);
  into[entity] = readTable(file);
  if (into === tables) paths[entity] = file;
}
globalThis.DABIAO_IR = JSON.parse(fs.readFileSync(irPath, 'utf8'));
require(path.join(__dirname, '../../Sources/DabiaoCore/Resources/page/evaluator.js'));
const out = globalThis.dabiao.check(tables, { asOf, lang, paths, baseline: hasBaseline ? baseline : undefined });
process.stdout.write(globalThis.dabiao.stringify(out) + '\n');
