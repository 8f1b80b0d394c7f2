// dabiao.runTests(asOf): the IR's test blocks, as `dabiao test` judges them (Engine/TestRunner.swift):
// each alone, with only its givens and its own waivers. Loaded after the evaluator
// (Sources/DabiaoCore/Resources/page/evaluator.js), whose internals it uses; only the tests run
// test blocks, so the page does not carry this file.
'use strict';
(function (dabiao) {
  var X = dabiao.internals, ir = X.ir, isoDay = X.isoDay, nfc = X.nfc, emptyTable = X.emptyTable, pushText = X.pushText, approx = X.approx;
  var formatNumber = dabiao.formatNumber;
  dabiao.runTests = function (asOfText) {
    var p = ir(), asOf = isoDay(asOfText), out = [];
    p.tests.forEach(function (test) {
      var data = { tables: p.entities.map(emptyTable) };
      test.givens.forEach(function (g) {
        var E = p.entities[g.entityIndex], t = data.tables[g.entityIndex], vals = {};
        g.values.forEach(function (v) { vals[v.fieldIndex] = v.value; });
        var key = null;
        if (E.keyField !== null) {
          var kv = vals[E.keyField];
          if (!kv || kv.kind !== 'text' || t.byKey.has(nfc(kv.text))) return;
          key = kv.text;
        }
        E.fields.forEach(function (f, fi) {
          var v = fi === E.keyField ? { kind: 'text', text: key } : vals[fi];
          if (v && v.kind === 'text') pushText(t, fi, v.text);
          else t.cols[fi].push(!v ? null : v.kind === 'number' ? v.number : v.kind === 'bool' ? v.bool : v.kind === 'date' ? v.day : null);
        });
        if (key !== null) t.byKey.set(nfc(key), t.n);
        t.lines.push(g.source ? g.source.line : 0);
        t.n++;
      });
      var report = X.run(data, test.waivers, asOf);
      test.expects.forEach(function (x) {
        var rs = report.results.filter(function (r) { return r.rule === x.rule; });
        out.push({ test: test.title, expect: describe(x), failure: judge(x, rs), results: rs.map(function (r) {
          return { key: r.key, outcome: r.outcome, level: r.level, fixes: r.fixes.map(function (f) { return { field: f.field, delta: f.delta }; }) };
        }) });
      });
    });
    return out;
  };
  function describe(x) {
    if (x.expect === 'outcome') return x.rule + ' ' + x.outcome + (x.level ? ' ' + x.level : '');
    var shown = x.delta / x.unit.scale;
    return x.rule + ' adjust ' + x.name + ' ' + (shown >= 0 ? '+' : '') + formatNumber(shown);
  }
  function judge(x, rs) {
    if (!rs.length) return 'no result';
    for (var i = 0; i < rs.length; i++) {
      var r = rs[i];
      if (x.expect === 'outcome') {
        var ok = x.outcome === 'fail' ? r.outcome === 'fail' && (x.level === null || r.level === x.level) : r.outcome === x.outcome;
        if (!ok) return 'record ' + r.key + ': got ' + r.outcome + (r.level ? ' ' + r.level : '');
      } else {
        var want = x.delta / x.unit.scale;
        var named = r.fixes.filter(function (f) { return f.field === x.name; });
        var fix = named.filter(function (f) { return f.delta !== null && (f.delta >= 0) === (want >= 0); })[0] || named.filter(function (f) { return f.delta !== null; })[0] || named[0];
        if (!fix) return 'record ' + r.key + ': no fix of ' + x.name;
        if (fix.delta === null) return 'record ' + r.key + ': no change found: ' + (fix.reason || '');
        if (!approx(fix.delta, want) && Math.abs(fix.delta - want) > 1e-6) return 'record ' + r.key + ': got ' + fix.delta;
      }
    }
    return null;
  }
})(globalThis.dabiao);
