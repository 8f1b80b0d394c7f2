#!/usr/bin/env node
// The page's evaluator timed under node on a folder of CSVs, for profiling
// (node --cpu-prof bench/page/node_bench.js …) without a browser:
//   node bench/page/node_bench.js IR.json DIR [AS_OF] [--runs N] [--out REPORT.json]
// IR.json: `dabiao compile --format ir`. Each DIR/ENTITY.csv is read as the page
// reads a CSV (scripts/js/check.js parseCSV → header → text objects) and handed to
// dabiao.check with the paths the CLI reports (DIR/ENTITY.csv); prints the time of
// each run and the summary, and with --out the report (dabiao.stringify) to compare
// with `dabiao check --format json --show all DIR`.
'use strict';
const fs = require('fs');
const path = require('path');
const { readTable } = require('../../scripts/js/check.js');

const args = process.argv.slice(2);
let runs = 3, outFile = null;
const pos = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--runs') runs = +args[++i];
  else if (args[i] === '--out') outFile = args[++i];
  else pos.push(args[i]);
}
const [irPath, dir, asOf = '2024-10-31'] = pos;
if (!irPath || !dir) { console.error('usage: node_bench.js IR.json DIR [AS_OF] [--runs N] [--out REPORT.json]'); process.exit(2); }
const ir = JSON.parse(fs.readFileSync(irPath, 'utf8'));
require(path.join(__dirname, '../../Sources/DabiaoCore/Resources/page/evaluator.js'));
const dabiao = globalThis.dabiao;
dabiao.load(ir);
const names = new Set(ir.entities.map(e => e.name));
const tables = {}, paths = {};
for (const f of fs.readdirSync(dir).sort()) {
  const e = f.replace(/\.csv$/, '');
  if (!f.endsWith('.csv') || !names.has(e)) continue;
  tables[e] = readTable(path.join(dir, f));
  paths[e] = path.join(dir, f);
}
let out;
for (let r = 0; r < runs; r++) {
  const t0 = process.hrtime.bigint(), c0 = process.cpuUsage();
  out = dabiao.check(tables, { asOf, lang: 'zh', paths });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6, cpu = process.cpuUsage(c0);
  // CPU time beside wall time: on a shared machine the wall time waits for other processes.
  console.log('run ' + (r + 1) + ': ' + ms.toFixed(0) + ' ms wall, ' + ((cpu.user + cpu.system) / 1000).toFixed(0) + ' ms CPU');
}
console.log(JSON.stringify(out.summary));
if (outFile) fs.writeFileSync(outFile, dabiao.stringify(out) + '\n');
