/* dabiao evaluator: the engine's semantics over the IR, ES2018, no DOM. The contract and how it
 * is evaluated: docs/page-evaluator.md. globalThis.dabiao: load(ir); check(tables, options) →
 * the report of `dabiao check --format json --show all`; stringify(value); runTests(asOf) from
 * scripts/js/tests.js. */
(function (root) {
  'use strict';
  var IR = null;

  // --- values
  // number, string, boolean, date (a day number); missing {m: [fields]}, undefined {u: reason}.
  function M(fs) { return { m: fs }; }
  function U(r) { return { u: r }; }
  // Missing, no field named (coalesce of nothing known).
  var NO_FIELDS = M([]);
  function unk(v) { return v !== null && typeof v === 'object'; }
  function merge(a, b) {
    var am = unk(a) && a.m, bm = unk(b) && b.m;
    if (am && bm) {
      var m = a.m.slice();
      for (var i = 0; i < b.m.length; i++) if (m.indexOf(b.m[i]) < 0) m.push(b.m[i]);
      return M(m);
    }
    if (am) return a;
    if (bm) return b;
    if (unk(a)) return a;
    if (unk(b)) return b;
    return null;
  }
  function fin(d) { return isFinite(d) ? d : U('overflow'); }
  function approx(a, b) { return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)); }
  var ASCII = /^[\x00-\x7f]*$/;
  // Characters that are NFC and never combine: such text needs no normalize().
  var STABLE = /^[\x00-\x7f\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff01-\uffef]*$/;
  var nfcMemo = new Map();
  function nfc(s) {
    if (STABLE.test(s)) return s;
    var n = nfcMemo.get(s);
    if (n === undefined) { if (nfcMemo.size > 10000) nfcMemo.clear(); n = s.normalize('NFC'); nfcMemo.set(s, n); }
    return n;
  }
  // Swift's String order: canonical equivalence, then code points. Texts are made NFC where they
  // enter (cells, constants), so equality is ===.
  function cmpNFC(a, b) { return a === b ? 0 : cmpStr(nfc(a), nfc(b)); }
  function cmpStr(a, b) {
    if (a === b) return 0;
    var n = Math.min(a.length, b.length);
    for (var i = 0; i < n; i++) {
      var x = a.charCodeAt(i), y = b.charCodeAt(i);
      if (x !== y) {
        if (x >= 0xD800 && y >= 0xD800) { x = x >= 0xE000 ? x - 0x800 : x + 0x2000; y = y >= 0xE000 ? y - 0x800 : y + 0x2000; }
        return x < y ? -1 : 1;
      }
    }
    return a.length === b.length ? 0 : (a.length < b.length ? -1 : 1);
  }
  var BMP_LOW = /^[\u0000-\ud7ff]*$/;
  function cmpVal(a, b) {
    var t = typeof a;
    if (t !== typeof b || t === 'object') return null;
    if (t === 'number') return approx(a, b) ? 0 : (a < b ? -1 : 1);
    if (t === 'string') return cmpStr(a, b);
    if (t === 'boolean') return a === b ? 0 : (!a ? -1 : 1);
    return null;
  }
  var CMP_OPS = { '==': 1, '!=': 2, '<': 3, '<=': 4, '>': 5, '>=': 6 };
  function rha(x) { return x < 0 ? -Math.round(-x) : Math.round(x); }
  function roundPlaces(x, p) { var f = Math.pow(10, p); return rha(x * f) / f; }

  // --- dates (days since 1970-01-01, proleptic Gregorian)
  function daysFrom(y, m, d) {
    if (m < 1 || m > 12 || d < 1 || d > [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]) return null;
    y -= m <= 2 ? 1 : 0;
    var era = Math.floor(y / 400), yoe = y - era * 400, mp = (m + 9) % 12;
    var doy = Math.floor((153 * mp + 2) / 5) + d - 1, doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
    return era * 146097 + doe - 719468;
  }
  function civil(z) {
    z += 719468;
    var era = Math.floor(z / 146097), doe = z - era * 146097;
    var yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
    var doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100)), mp = Math.floor((5 * doy + 2) / 153);
    var d = doy - Math.floor((153 * mp + 2) / 5) + 1, m = mp < 10 ? mp + 3 : mp - 9;
    return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
  }
  function pad(n, w) { var s = String(Math.abs(n)); while (s.length < w) s = '0' + s; return (n < 0 ? '-' : '') + s; }
  function fmtDate(z) { var c = civil(z); return pad(c[0], 4) + '-' + pad(c[1], 2) + '-' + pad(c[2], 2); }
  function isoDay(s) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || '');
    var d = m && daysFrom(+m[1], +m[2], +m[3]);
    if (d === null || d === undefined) throw new Error('asOf must be a date YYYY-MM-DD, not ' + s);
    return d;
  }

  // --- numbers as the Swift reports write them
  function numberText(d) {
    if (!isFinite(d)) return 'null';
    if (d === Math.round(d) && Math.abs(d) < 1e15) return String(d === 0 ? 0 : d);
    var e = d.toExponential(), i = e.indexOf('e'), mant = e.slice(0, i), exp = +e.slice(i + 1);
    var neg = mant[0] === '-', digits = mant.replace(/[-.]/g, '');
    if (exp < -4 || Math.abs(d) > 9007199254740992) {
      var ex = String(Math.abs(exp));
      return (neg ? '-' : '') + digits[0] + (digits.length > 1 ? '.' + digits.slice(1) : '') + 'e' + (exp < 0 ? '-' : '+') + (ex.length < 2 ? '0' + ex : ex);
    }
    var s;
    if (exp < 0) s = '0.' + new Array(-exp).join('0') + digits;
    else if (digits.length > exp + 1) s = digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
    else s = digits + new Array(exp + 2 - digits.length).join('0') + '.0';
    return (neg ? '-' : '') + s;
  }
  function stringify(v) {
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'number') return numberText(v);
    if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
    var out, i;
    if (Array.isArray(v)) {
      out = '[';
      for (i = 0; i < v.length; i++) out += (i ? ',' : '') + stringify(v[i]);
      return out + ']';
    }
    var ks = Object.keys(v);
    out = '{';
    for (i = 0; i < ks.length; i++) out += (i ? ',' : '') + JSON.stringify(ks[i]) + ':' + stringify(v[ks[i]]);
    return out + '}';
  }
  // printf's %.Nf: an exact tie goes to the even digit (toFixed goes up).
  function fixed(d, places) {
    var s = Math.abs(d).toFixed(places), y = Math.abs(d) * Math.pow(2, places + 1);
    if (Number.isInteger(y) && y % 2 === 1 && Math.abs(d) < 1e21) {
      var last = s.charCodeAt(s.length - 1) - 48;
      if (last % 2 === 1) s = s.slice(0, -1) + String(last - 1);
    }
    return (d < 0 || Object.is(d, -0) ? '-' : '') + s;
  }
  // formatNumber of Run.swift: integers without a point, else 2 places (3 significant under 1).
  function formatNumber(d, decimals) {
    if (!isFinite(d)) return '—';
    if (decimals !== null && decimals !== undefined) return fixed(d, decimals);
    var places = 2;
    if (d !== 0 && Math.abs(d) < 1) places = Math.min(6, Math.max(2, 2 - Math.floor(Math.log10(Math.abs(d)))));
    var f = Math.pow(10, places), r = rha(d * f) / f;
    if (r === Math.round(r) && Math.abs(r) < 1e15) return String(r === 0 ? 0 : r);
    var s = fixed(r, places);
    while (s[s.length - 1] === '0') s = s.slice(0, -1);
    if (s[s.length - 1] === '.') s = s.slice(0, -1);
    return s;
  }
  function roundForReport(d) {
    if (!isFinite(d) || Math.abs(d) >= 9.0e9) return d;
    var r = rha(d * 1e6) / 1e6;
    return r === 0 ? 0 : r;
  }
  function decimals(x) {
    for (var d = 0; d <= 6; d++) {
      var v = x * Math.pow(10, d);
      if (Math.abs(v - rha(v)) <= 1e-9 * Math.max(1, Math.abs(v))) return d;
    }
    return 6;
  }
  function roundTo(x, d) {
    var f = Math.pow(10, d), v = x * f;
    if (!isFinite(v) || Math.abs(v) >= 9.0e15) return x;
    return rha(v) / f;
  }
  var seg = typeof Intl !== 'undefined' && Intl.Segmenter ? new Intl.Segmenter() : null;
  function graphemes(s) {
    if (ASCII.test(s) && s.indexOf('\r\n') < 0) return s.length;
    if (seg) { var n = 0, it = seg.segment(s)[Symbol.iterator](); while (!it.next().done) n++; return n; }
    return Array.from(s.replace(/[\u0300-\u036f\u200d\ufe00-\ufe0f]|\p{M}/gu, '')).length;
  }

  function T(zh, en) { return { zh: zh, en: en }; }

  // --- compiling expressions into closures (Engine/Compile.swift)
  function Run(ir, data, baseline) {
    this.ir = ir; this.data = data; this.baseline = baseline;
    this.joinIdx = {};
  }
  function readCell(col, row, miss) {
    if (row < 0 || row >= col.length) return miss;
    var v = col[row];
    return v === null ? miss : v;
  }
  Run.prototype.fieldName = function (e, f, depth) {
    var E = this.ir.entities[e];
    return depth === 0 ? E.fields[f].name : E.name + '.' + E.fields[f].name;
  };
  Run.prototype.compile = function (x, rule) {
    var self = this, c = function (y) { return self.compile(y, rule); };
    var data = this.data, ir = this.ir;
    switch (x.node) {
      case 'constant': {
        var v = x.value, k = v.kind;
        var val = k === 'number' ? v.number : k === 'text' ? nfc(v.text) : k === 'bool' ? v.bool : k === 'date' ? v.day : k === 'missing' ? M(v.fields) : U(v.reason);
        var constant = function () { return val; };
        constant.known = !unk(val);
        constant.value = val;
        return constant;
      }
      case 'field': {
        var col = data.tables[x.entityIndex].cols[x.fieldIndex], f = x.fieldIndex, d = x.depth, name = M([this.fieldName(x.entityIndex, f, d)]);
        if (d === 0) return function (ctx) {
          if (ctx.foOn && ctx.fo[f] !== undefined) return fin(ctx.fo[f]);
          return readCell(col, ctx.rows[0], name);
        };
        return function (ctx) { return readCell(col, ctx.rows[d], name); };
      }
      case 'prevField': {
        var pname = M(['prev.' + ir.entities[x.entityIndex].fields[x.fieldIndex].name]), kf = ir.entities[x.entityIndex].keyField;
        if (!this.baseline || kf === null) return function () { return pname; };
        var keys = data.tables[x.entityIndex].cols[kf], bt = this.baseline.tables[x.entityIndex], pcol = bt.cols[x.fieldIndex], pd = x.depth;
        return function (ctx) {
          var key = keys[ctx.rows[pd]];
          var row = typeof key === 'string' ? bt.byKey.get(key) : undefined;
          return row === undefined ? pname : readCell(pcol, row, pname);
        };
      }
      case 'refField': {
        var base = c(x.base), rt = data.tables[x.entityIndex], rcol = rt.cols[x.fieldIndex];
        var rname = M([ir.entities[x.entityIndex].name + '.' + ir.entities[x.entityIndex].fields[x.fieldIndex].name]);
        return function (ctx) {
          var key = base(ctx);
          if (typeof key !== 'string') return unk(key) ? key : rname;
          var row = rt.byKey.get(key);
          return row === undefined ? rname : readCell(rcol, row, rname);
        };
      }
      case 'local': {
        var slot = x.slot, body = rule.localEvals[slot];
        if (!body) return function () { return U('internalError'); };
        return function (ctx) {
          if (ctx.ol === slot) return fin(ctx.olv);
          if (ctx.cg[slot] === ctx.gen) return ctx.cache[slot];
          var r = body(ctx);
          ctx.cache[slot] = r; ctx.cg[slot] = ctx.gen;
          return r;
        };
      }
      case 'negate': { var a = c(x.operand); return function (ctx) { var r = a(ctx); return typeof r === 'number' ? -r : r; }; }
      case 'not': { var a2 = c(x.operand); return function (ctx) { var r = a2(ctx); return typeof r === 'boolean' ? !r : r; }; }
      case 'arith': {
        var l = c(x.left), r = c(x.right), op = x.op;
        return function (ctx) {
          var p = l(ctx), q = r(ctx);
          if (typeof p !== 'number' || typeof q !== 'number') return merge(p, q) || U('internalError');
          var z;
          if (op === '+') z = p + q; else if (op === '-') z = p - q; else if (op === '*') z = p * q;
          else if (op === '/') { if (q === 0) return U('divisionByZero'); z = p / q; } else return U('internalError');
          return isFinite(z) ? z : U('overflow');
        };
      }
      case 'compare': {
        var cl = c(x.left), cr = c(x.right), cop = CMP_OPS[x.op] || 0;
        return function (ctx) {
          var p = cl(ctx), q = cr(ctx), k;
          if (typeof p === 'number' && typeof q === 'number') k = p === q || Math.abs(p - q) <= 1e-9 * Math.max(Math.abs(p), Math.abs(q)) ? 0 : (p < q ? -1 : 1);
          else {
            var u = merge(p, q);
            if (u) return u;
            k = cmpVal(p, q);
            if (k === null) return U('internalError');
          }
          switch (cop) {
            case 1: return k === 0; case 2: return k !== 0; case 3: return k < 0;
            case 4: return k <= 0; case 5: return k > 0; case 6: return k >= 0;
          }
          return U('internalError');
        };
      }
      case 'logic': {
        var ll = c(x.left), lr = c(x.right), dec = x.op === 'or';
        return function (ctx) {
          var p = ll(ctx);
          if (typeof p === 'boolean') return p === dec ? p : lr(ctx);
          var q = lr(ctx);
          if (q === dec) return q;
          return merge(p, q) || U('internalError');
        };
      }
      case 'between': {
        var bv = c(x.value), blo = c(x.low), bhi = c(x.high);
        return function (ctx) {
          var v1 = bv(ctx), p = blo(ctx), q = bhi(ctx);
          var m1 = merge(v1, p), u = m1 ? (merge(m1, q) || m1) : (merge(v1, q) || merge(p, q));
          if (u) return u;
          var c1 = cmpVal(v1, p), c2 = cmpVal(v1, q);
          if (c1 === null || c2 === null) return U('internalError');
          return c1 >= 0 && c2 <= 0;
        };
      }
      case 'inList': {
        var iv = c(x.value), items = x.items.map(c);
        // Known texts: equal exactly; other known values none.
        if (items.length && items.every(function (f) { return f.known && typeof f.value === 'string'; })) {
          var texts = new Set(items.map(function (f) { return f.value; }));
          return function (ctx) {
            var v1 = iv(ctx);
            if (typeof v1 === 'string') return texts.has(v1);
            return unk(v1) ? v1 : false;
          };
        }
        return function (ctx) {
          var v1 = iv(ctx);
          if (unk(v1)) return v1;
          var un = null;
          for (var i = 0; i < items.length; i++) {
            var w = items[i](ctx);
            if (unk(w)) { un = un ? (merge(un, w) || un) : w; continue; }
            if (cmpVal(v1, w) === 0) return true;
          }
          return un || false;
        };
      }
      case 'ifThen': {
        var ic = c(x.condition), it = c(x.then), ie = c(x['else']);
        return function (ctx) {
          var v1 = ic(ctx);
          if (typeof v1 !== 'boolean') return unk(v1) ? v1 : U('internalError');
          return v1 ? it(ctx) : ie(ctx);
        };
      }
      case 'match': {
        var ms = c(x.subject), arms = x.arms.map(function (a) { return [a.patterns.map(c), c(a.value)]; }), other = x['else'] ? c(x['else']) : null;
        return function (ctx) {
          var v1 = ms(ctx);
          if (unk(v1)) return v1;
          for (var i = 0; i < arms.length; i++) {
            var pats = arms[i][0];
            for (var j = 0; j < pats.length; j++) {
              var w = pats[j](ctx);
              if (unk(w)) return w;
              if (cmpVal(v1, w) === 0) return arms[i][1](ctx);
            }
          }
          return other ? other(ctx) : U('noMatchingArm');
        };
      }
      case 'call': return this.call(x.function, x.args.map(c), x.scale);
      case 'aggregate': return this.aggregate(x, rule);
    }
    throw new Error('IR node not known to this evaluator: ' + x.node);
  };
  Run.prototype.call = function (fn, args, scale) {
    var a = args[0], b = args[1];
    function num(f) { return function (ctx) { var v = a(ctx); return typeof v === 'number' ? fin(f(v)) : v; }; }
    switch (fn) {
      case 'min': case 'max': {
        var wantMax = fn === 'max';
        return function (ctx) {
          var best = null, un = null;
          for (var i = 0; i < args.length; i++) {
            var v = args[i](ctx);
            if (unk(v)) { un = un ? (merge(un, v) || un) : v; continue; }
            if (best !== null) { var k = cmpVal(v, best); if (k !== null && (wantMax ? k > 0 : k < 0)) best = v; } else best = v;
          }
          return un || (best !== null ? best : U('internalError'));
        };
      }
      case 'abs': return num(Math.abs);
      case 'ceil': return num(function (d) { return Math.ceil(d / scale - 1e-9) * scale; });
      case 'floor': return num(function (d) { return Math.floor(d / scale + 1e-9) * scale; });
      case 'round': return function (ctx) {
        var v = a(ctx);
        if (typeof v !== 'number') return v;
        var places = 0;
        if (b) { var p = b(ctx); if (typeof p !== 'number') return p; places = Math.max(0, Math.min(12, p)); }
        var f = Math.pow(10, places);
        return fin(rha((v / scale) * f) / f * scale);
      };
      case 'coalesce': return function (ctx) {
        var last = NO_FIELDS;
        for (var i = 0; i < args.length; i++) { var v = args[i](ctx); if (!unk(v)) return v; last = merge(last, v) || v; }
        return last;
      };
      case 'present': return function (ctx) { return !unk(a(ctx)); };
      case 'year': return function (ctx) { var v = a(ctx); return typeof v === 'number' ? civil(v)[0] : v; };
      case 'days': return function (ctx) {
        var x = a(ctx), y = b(ctx), u = merge(x, y);
        if (u) return u;
        return typeof x === 'number' && typeof y === 'number' ? y - x : U('internalError');
      };
      case 'len': return function (ctx) { var v = a(ctx); return typeof v === 'string' ? graphemes(v) : v; };
      case 'contains': case 'starts_with': {
        var prefix = fn === 'starts_with';
        return function (ctx) {
          var x = a(ctx), y = b(ctx), u = merge(x, y);
          if (u) return u;
          if (typeof x !== 'string' || typeof y !== 'string') return U('internalError');
          return prefix ? x.slice(0, y.length) === y : (y === '' || x.indexOf(y) >= 0);
        };
      }
    }
    throw new Error('builtin not known to this evaluator: ' + fn);
  };
  // Rows by their join values (text, ref, bool, date: exact), once per run.
  Run.prototype.index = function (e, fields) {
    var key = e + '.' + fields.join('.');
    if (this.joinIdx[key]) return this.joinIdx[key];
    var cols = this.data.tables[e].cols, n = this.data.tables[e].n, root = new Map(), last = fields.length - 1;
    for (var r = 0; r < n; r++) {
      var m = root;
      for (var i = 0; i <= last; i++) {
        var v = cols[fields[i]][r];
        if (v === null || v === undefined) break;
        var next = m.get(v);
        if (i === last) { if (next) next.push(r); else m.set(v, [r]); }
        else { if (!next) m.set(v, next = new Map()); m = next; }
      }
    }
    return (this.joinIdx[key] = root);
  };
  var NO_ROWS = [];
  function lookup(index, keys) {
    var m = index;
    for (var i = 0; i < keys.length; i++) { m = m.get(keys[i]); if (m === undefined) return NO_ROWS; }
    return m;
  }
  function depthsRead(x, acc) {
    if (!x || typeof x !== 'object') return acc;
    if (Array.isArray(x)) { for (var i = 0; i < x.length; i++) acc = depthsRead(x[i], acc); return acc; }
    if (x.node === 'local') return acc | 1;
    if ((x.node === 'field' || x.node === 'prevField') && x.depth < 31) acc |= 1 << x.depth;
    for (var k in x) if (k !== 'value' || x.node !== 'constant') { var y = x[k]; if (y && typeof y === 'object') acc = depthsRead(y, acc); }
    return acc;
  }
  // Skips the records a where's equality rules out (docs/page-evaluator.md).
  Run.prototype.narrowing = function (x, c) {
    var D = x.depth, found = null, cols = this.data.tables[x.entityIndex].cols, n = this.data.tables[x.entityIndex].n;
    if (!(D >= 1 && D < 31)) return null;
    function outside(y) { return depthsRead(y, 0) >>> D === 0; }
    function inner(y) { return y && y.node === 'field' && y.depth === D && y.entityIndex === x.entityIndex; }
    (function walk(w, guards) {
      if (found || !w) return;
      if (w.node === 'logic' && w.op === 'and') { walk(w.left, guards); walk(w.right, guards); }
      else if (w.node === 'logic' && w.op === 'or') {
        if (outside(w.left)) walk(w.right, guards.concat([w.left]));
        else if (outside(w.right)) walk(w.left, guards.concat([w.right]));
      } else if (w.node === 'compare' && w.op === '==' && (w.compare === 'text' || w.compare === 'bool')) {
        var type = w.compare === 'text' ? 'string' : 'boolean';
        if (inner(w.left) && outside(w.right)) found = { f: w.left.fieldIndex, outer: w.right, guards: guards, type: type };
        else if (inner(w.right) && outside(w.left)) found = { f: w.right.fieldIndex, outer: w.left, guards: guards, type: type };
      }
    })(x.where, []);
    if (!found) return null;
    var col = cols[found.f], outer = c(found.outer), guards = found.guards.map(c), type = found.type, splits = new Map(), ALL = [];
    // By f; f empty (missing, not false): always visited.
    function split(cand) {
      var sp = splits.get(cand || ALL);
      if (sp) return sp;
      sp = { by: new Map(), nulls: [] };
      for (var i = 0, total = cand ? cand.length : n; i < total; i++) {
        var r = cand ? cand[i] : i, v = r < col.length ? col[r] : null;
        if (v === null || v === undefined) { sp.nulls.push(r); continue; }
        var l = sp.by.get(v);
        if (l) l.push(r); else sp.by.set(v, [r]);
      }
      splits.set(cand || ALL, sp);
      return sp;
    }
    return function (cand, ctx) {
      for (var i = 0; i < guards.length; i++) if (guards[i](ctx) !== false) return null;
      var v = outer(ctx);
      if (typeof v !== type) return null;
      var sp = split(cand), rows = sp.by.get(v) || NO_ROWS;
      if (!sp.nulls.length) return rows;
      var out = [], a = 0, b = 0, nulls = sp.nulls;
      while (a < rows.length || b < nulls.length) out.push(b >= nulls.length || (a < rows.length && rows[a] < nulls[b]) ? rows[a++] : nulls[b++]);
      return out;
    };
  };
  Run.prototype.aggregate = function (x, rule) {
    var self = this, c = function (y) { return self.compile(y, rule); };
    var n = this.data.tables[x.entityIndex].n, depth = x.depth, kind = x.kind, ename = x.entity;
    var value = x.value ? c(x.value) : null, where = x.where ? c(x.where) : null;
    var joins = x.joins || [], outers = joins.map(function (j) { return c(j.outer); });
    var idx = joins.length ? this.index(x.entityIndex, joins.map(function (j) { return j.fieldIndex; })) : null;
    var narrow = kind !== 'all' && x.where ? this.narrowing(x, c) : null;
    var over = function (cand, ctx) {
      if (kind === 'count' && !where) return cand ? cand.length : n;
      if (narrow) cand = narrow(cand, ctx) || cand;
      var cnt = 0, sum = 0, best = null, un = null, anyTrue = false, allTrue = true;
      var saved = ctx.rows[depth], total = cand ? cand.length : n;
      for (var q = 0; q < total; q++) {
        ctx.rows[depth] = cand ? cand[q] : q;
        if (where) {
          var w = where(ctx);
          if (w === false) { if (kind === 'all') { allTrue = false; break; } continue; }
          if (w !== true) { un = un ? (merge(un, w) || un) : w; continue; }
        }
        cnt++;
        if (kind === 'any') { anyTrue = true; break; }
        if (kind === 'count' || kind === 'all' || !value) continue;
        var v = value(ctx);
        if (unk(v)) { un = un ? (merge(un, v) || un) : v; continue; }
        if (typeof v === 'number') sum += v;
        if (kind === 'min' || kind === 'max') {
          if (best !== null) { var k = cmpVal(v, best); if (k !== null && (kind === 'max' ? k > 0 : k < 0)) best = v; } else best = v;
        }
      }
      ctx.rows[depth] = saved;
      switch (kind) {
        case 'any': return anyTrue ? true : (un || false);
        case 'all': return !allTrue ? false : (un || true);
        case 'count': return un || cnt;
        case 'sum': return un || fin(sum);
        case 'avg': return un || (cnt === 0 ? M(['avg(' + ename + ')']) : fin(sum / cnt));
        default: return un || (best !== null ? best : M([kind + '(' + ename + ')']));
      }
    };
    // Value and where reading no enclosing record: one value per group.
    var innerReads = depthsRead([x.value, x.where], 0), byKeys = depth >= 1 && depth < 31 && (innerReads & ((1 << depth) - 1)) === 0;
    var memo = byKeys && idx ? new Map() : null, keys = [];
    var eval_ = function (ctx) {
      if (!idx) return over(null, ctx);
      keys.length = outers.length;
      for (var i = 0; i < outers.length; i++) { var kv = outers[i](ctx); if (unk(kv)) return kv; keys[i] = kv; }
      if (!memo) return over(lookup(idx, keys), ctx);
      var m = memo;
      for (i = 0; i < keys.length - 1; i++) { var next = m.get(keys[i]); if (next === undefined) m.set(keys[i], next = new Map()); m = next; }
      var last = keys[keys.length - 1], r = m.get(last);
      if (r === undefined) { r = over(lookup(idx, keys), ctx); m.set(last, r); }
      return r;
    };
    // Hoisted as the engine does: one value per run, or per record.
    var reads = depthsRead([x.value, x.where, x.joins.map(function (j) { return j.outer; })], 0);
    if (depth >= 1 && depth < 31) {
      if ((reads & ((1 << depth) - 1)) === 0) {
        var done = false, once;
        return function (ctx) { if (!done) { once = eval_(ctx); done = true; } return once; };
      }
      if (depth >= 2 && (reads & ((1 << depth) - 2)) === 0) {
        var slot = rule.slots++;
        return function (ctx) {
          if (ctx.cg[slot] === ctx.gen) return ctx.cache[slot];
          var r = eval_(ctx); ctx.cache[slot] = r; ctx.cg[slot] = ctx.gen; return r;
        };
      }
    }
    return eval_;
  };

  // --- rules (Engine/Run.swift)
  var LEVEL = { info: 0, warning: 1, error: 2 };
  function Plan(run, ir, r, index) {
    this.r = r; this.index = index;
    this.localEvals = []; this.slots = r.locals.length;
    var self = this, c = function (x) { return run.compile(x, self); };
    for (var i = 0; i < r.locals.length; i++) this.localEvals.push(c(r.locals[i].expr));
    this.filters = r.filters.map(c);
    this.when = r.when ? c(r.when) : null;
    this.measures = r.measures.map(function (m) { return c({ node: 'local', slot: m.slot }); });
    this.numeric = r.measures.map(function (m) { return m.slot < r.locals.length && r.locals[m.slot].type.type === 'number'; });
    this.requires = r.requires.map(function (q) { return c(q.expr); });
    this.sides = r.requires.map(function (q) { return q.sides ? { left: c(q.sides.left), right: c(q.sides.right) } : null; });
    this.message = r.message ? r.message.map(function (p) { return p.value ? { v: c(p.value), type: p.type, d: p.decimals } : { t: p.text }; }) : null;
    this.readers = r.adjusts.map(function (a) {
      return a.target.kind === 'field' ? c({ node: 'field', depth: 0, entityIndex: r.entityIndex, fieldIndex: a.target.fieldIndex }) : c({ node: 'local', slot: a.target.slot });
    });
    var fields = ir.entities[r.entityIndex].fields;
    // In objects of one shape (the IR's vary).
    this.code = r.code; this.codes = [r.code]; this.entity = r.entityIndex; this.owner = r.owner; this.deadline = r.deadline;
    this.ruleset = r.ruleset; this.title = r.title; this.entityName = r.entity; this.cite = r.cite;
    this.mm = r.measures.map(function (m) { return { name: m.name, scale: m.unit.scale, unit: m.unit.symbol }; });
    this.levels = r.requires.map(function (q) { return q.level; });
    this.adj = r.adjusts.map(function (a) {
      var field = a.target.kind === 'field';
      return new Adjust(a, field ? fields[a.target.fieldIndex].label : a.name, field ? a.target.fieldIndex : -1, field ? -1 : a.target.slot);
    });
    this.words = r.requires.map(function (q) {
      if (q.label !== null) return q.label;
      if (q.sides === null && r.requires.length === 1) return r.title;
      return humanized(ir, q.source, r.entityIndex);
    });
    this.leftNames = r.requires.map(function (q) {
      if (q.label !== null || !q.sides) return null;
      var l = q.sides.left;
      if (l.node === 'local' && l.slot < r.locals.length) return r.locals[l.slot].name;
      if (l.node === 'field' && l.depth === 0 && l.fieldIndex < fields.length) return fields[l.fieldIndex].label;
      return null;
    });
    // Per adjust: requires and lets not reading its input.
    this.unreachable = r.adjusts.map(function (a) {
      var memo = {}, scope = r.filters.concat(r.when ? [r.when] : []);
      for (var i = 0; i < scope.length; i++) if (reads(scope[i], a.target, r.locals, memo)) return null;
      var out = [];
      for (i = 0; i < r.requires.length; i++) if (!reads(r.requires[i].expr, a.target, r.locals, memo)) out.push(i);
      return out;
    });
    this.steady = r.adjusts.map(function (a) {
      var memo = {}, out = [];
      for (var i = 0; i < r.locals.length; i++) if (!reads({ node: 'local', slot: i }, a.target, r.locals, memo)) out.push(i);
      return out;
    });
  }
  // field: the record's field it changes, else slot: the let or measure (-1 the other).
  function Adjust(a, label, field, slot) {
    this.name = a.name; this.label = label; this.field = field; this.slot = slot; this.up = a.direction === 'up';
    this.step = a.step; this.scale = a.unit.scale; this.symbol = a.unit.symbol; this.action = a.action;
  }
  // A planned change in base units (a let's or measure's belongs to rule `plan`).
  function Planned(field, slot, plan, value) { this.field = field; this.slot = slot; this.plan = plan; this.value = value; }
  // Engine.reads: whether an expression can change with the adjusted field, let or measure.
  function reads(x, target, locals, memo) {
    if (!x || typeof x !== 'object') return false;
    switch (x.node) {
      case 'constant': case 'prevField': return false;
      case 'field': return x.depth === 0 && target.kind === 'field' && target.fieldIndex === x.fieldIndex;
      case 'local': {
        var slot = x.slot;
        if (target.kind === 'local' && target.slot === slot) return true;
        if (memo[slot] !== undefined) return memo[slot];
        memo[slot] = false;
        return (memo[slot] = slot >= 0 && slot < locals.length && reads(locals[slot].expr, target, locals, memo));
      }
    }
    // Else: whether a part does.
    for (var k in x) if (reads(x[k], target, locals, memo)) return true;
    return false;
  }
  // fo: the solver's field values (foOn: any), ol/olv: one let's. Shaped once.
  function newCtx(fields) {
    var fo = [];
    for (var i = 0; i < fields; i++) fo.push(undefined);
    return { rows: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], cache: [], cg: [], gen: 0, fo: fo, foOn: false, ol: -1, olv: NaN, fv: [], fg: [], fr: 0 };
  }
  function reset(ctx, row) { ctx.rows[0] = row; ctx.gen++; }

  // true: the requires decide; false: excluded; NA: `when` false; else the deciding unknown.
  var NA = {};
  // A `for … where` shared by rules is evaluated once per record (fslot; not under overrides).
  function scope(p, ctx) {
    var v, s = p.fslot;
    if (s < 0 || ctx.foOn || ctx.ol >= 0) v = filtersOf(p, ctx);
    else if (ctx.fg[s] === ctx.fr) v = ctx.fv[s];
    else { v = ctx.fv[s] = filtersOf(p, ctx); ctx.fg[s] = ctx.fr; }
    if (v !== true) return v;
    if (p.when) { v = p.when(ctx); if (v !== true) return v === false ? NA : v; }
    return true;
  }
  function filtersOf(p, ctx) {
    for (var i = 0, v; i < p.filters.length; i++) { v = p.filters[i](ctx); if (v !== true) return v; }
    return true;
  }
  function unknownVerdict(v) {
    return unk(v) && v.m ? { outcome: 'missing', level: null, missing: v.m } : { outcome: 'undefined', level: null, missing: [], why: unk(v) ? v.u : 'internalError' };
  }
  function verdict(p, ctx) {
    var v = scope(p, ctx), level = null, missing = null, undef = null;
    if (v !== true) return v === false ? null : v === NA ? NOT_APPLICABLE : unknownVerdict(v);
    for (var i = 0; i < p.requires.length; i++) {
      v = p.requires[i](ctx);
      if (v === true) continue;
      if (v === false) { var l = p.levels[i]; if (level === null || LEVEL[l] > LEVEL[level]) level = l; }
      else if (unk(v) && v.m) {
        missing = missing || [];
        for (var j = 0; j < v.m.length; j++) if (missing.indexOf(v.m[j]) < 0) missing.push(v.m[j]);
      } else if (undef === null) undef = v;
    }
    if (level !== null) return { outcome: 'fail', level: level, missing: missing || [] };
    if (missing) return { outcome: 'missing', level: null, missing: missing };
    return undef !== null ? unknownVerdict(undef) : PASS;
  }
  // Shared: only a failure (made anew) is changed (waived).
  var PASS = { outcome: 'pass', level: null, missing: [] }, NOT_APPLICABLE = { outcome: 'not-applicable', level: null, missing: [] };
  // verdict(p, ctx).outcome alone, for the solver; the first failed require decides.
  function outcomeOf(p, ctx) {
    var s = scopeOf(p, ctx);
    return s === 'ok' ? requiresOf(p, ctx) : s;
  }
  function scopeOf(p, ctx) {
    var v = scope(p, ctx);
    return v === true ? 'ok' : v === false ? null : v === NA ? 'not-applicable' : unk(v) && v.m ? 'missing' : 'undefined';
  }
  function requiresOf(p, ctx) {
    var v, i, missing = false, undef = false;
    for (i = 0; i < p.requires.length; i++) {
      v = p.requires[i](ctx);
      if (v === true) continue;
      if (v === false) return 'fail';
      if (unk(v) && v.m) missing = true; else undef = true;
    }
    return missing ? 'missing' : undef ? 'undefined' : 'pass';
  }

  function humanized(ir, source, entity) {
    var own = {}, other = {};
    ir.entities[entity].fields.forEach(function (f) { own[f.name] = f.label; });
    ir.entities.forEach(function (e) {
      if (!(e.name in other)) other[e.name] = e.label;
      e.fields.forEach(function (f) { if (!(f.name in other)) other[f.name] = f.label; });
    });
    var out = '', word = '', lastWasLabel = false, dotted = false;
    function flush() {
      if (!word) return;
      var label = dotted ? (word in other ? other[word] : own[word]) : (word in own ? own[word] : other[word]);
      out += label !== undefined ? label : word;
      lastWasLabel = label !== undefined;
      word = '';
    }
    var chars = Array.from(source);
    for (var i = 0; i < chars.length; i++) {
      var ch = chars[i];
      if (/^[A-Za-z0-9_]$/.test(ch) && !(word === '' && /[0-9]/.test(ch))) { word += ch; continue; }
      if (word === 'this' && ch === '.') { word = ''; continue; }
      flush();
      dotted = false;
      if (ch === '.' && lastWasLabel) { out += '·'; dotted = true; } else out += ch;
      lastWasLabel = false;
    }
    flush();
    return out.split('>=').join('≥').split('<=').join('≤').split('!=').join('≠').split('==').join('=');
  }

  function labelTables(ir) {
    var shared = {};
    ir.entities.forEach(function (o) {
      if (!(o.name in shared)) shared[o.name] = { label: o.label };
      ['count', 'sum', 'avg', 'min', 'max', 'any', 'all'].forEach(function (k) { shared[k + '(' + o.name + ')'] = { label: k + '(' + o.label + ')' }; });
      o.fields.forEach(function (f) {
        shared[o.name + '.' + f.name] = { label: f.label, entity: o.label };
        if (!(('prev.' + f.name) in shared)) shared['prev.' + f.name] = { label: f.label, entity: o.label, previous: true };
      });
    });
    return ir.entities.map(function (e) {
      var t = Object.assign({}, shared);
      e.fields.forEach(function (f) { t[f.name] = { label: f.label }; t['prev.' + f.name] = { label: f.label, previous: true }; });
      return t;
    });
  }
  function labelText(l, lang) {
    var s = (l.entity ? l.entity + '·' : '') + l.label;
    return l.previous ? (lang === 'en' ? "last period's " : '上期') + s : s;
  }

  function formatValue(v, ty, d) {
    if (unk(v)) return '—';
    if (typeof v === 'number') {
      if (ty.type === 'date') return fmtDate(v);
      return formatNumber(v / (ty.type === 'number' ? ty.unit.scale : 1), d);
    }
    if (typeof v === 'boolean') return v ? '是' : '否';
    return v;
  }
  function resolveDeadline(d, asOf) { return d === null ? null : d.date !== undefined ? isoDay(d.date) : asOf + d.withinDays; }

  function Engine(ir, data, baseline, waivers) {
    this.ir = ir; this.data = data;
    var run = new Run(ir, data, baseline);
    var slots = {}, n = 0;
    this.plans = ir.rules.map(function (r, i) {
      var p = new Plan(run, ir, r, i), k = r.entityIndex + JSON.stringify(r.filters);
      p.fslot = r.filters.length && k.indexOf('"local"') < 0 ? (k in slots ? slots[k] : (slots[k] = n++)) : -1;
      return p;
    });
    this.labels = labelTables(ir);
    this.waivers = waivers || ir.waivers;
  }
  Engine.prototype.key = function (e, row) {
    var k = this.ir.entities[e].keyField;
    if (k === null) return String(row + 1);
    var t = this.data.tables[e], v = t.cols[k][row];
    return typeof v === 'string' ? t.raw(k, row, v) : String(row + 1);
  };
  Engine.prototype.name = function (e, row) {
    var E = this.ir.entities[e], n = E.nameField;
    if (n === null) return null;
    var t = this.data.tables[e], v = t.cols[n][row];
    return typeof v === 'string' ? t.raw(n, row, v) : null;
  };
  Engine.prototype.run = function (asOf, lang) {
    var ir = this.ir, self = this, rect = [];
    var summary = tally();
    var waiverBy = {};
    this.waivers.forEach(function (w) { waiverBy[w.rule + '\u0001' + w.entityIndex + '\u0001' + nfc(w.key)] = w; });
    var byPlan = this.plans.map(function (p) { return new Array(self.data.tables[p.entity].n); }), keyNames = [];
    for (var e = 0; e < ir.entities.length; e++) {
      var plans = this.plans.filter(function (p) { return p.entity === e; }), t = this.data.tables[e], names = keyNames[e] = [];
      if (!plans.length) continue;
      var ctx = newCtx(ir.entities[e].fields.length), failures = [], hasWaivers = this.waivers.length > 0;
      for (var row = 0; row < t.n; row++) {
        var key = this.key(e, row), name = this.name(e, row), source = { path: t.path, line: t.lines[row] };
        failures.length = 0;
        ctx.fr++;
        names.push(nfc(key));
        for (var pi = 0; pi < plans.length; pi++) {
          var p = plans[pi];
          reset(ctx, row);
          var v = verdict(p, ctx);
          if (!v) continue;
          var waiver = null;
          if (v.outcome === 'fail' && hasWaivers) {
            waiver = waiverBy[p.code + '\u0001' + e + '\u0001' + names[row]];
            if (waiver && isoDay(waiver.until) >= asOf) v.outcome = 'waived'; else waiver = null;
          }
          count(summary, v.outcome, v.level);
          var res = this.result(p, row, v, ctx, lang, key, name, source);
          if (waiver) res.waiverReason = waiver.reason;
          if (v.outcome === 'fail' || v.outcome === 'waived') this.fixes(p, row, v, res, failures, ctx, lang);
          byPlan[p.index][row] = res;
        }
        if (failures.length) rect.push(this.rectify(e, row, failures, asOf, ctx, lang, key, name));
      }
    }
    // cmpNFC on texts made NFC once.
    var rk = rect.map(function (x) { return nfc(x.key); }), re = rect.map(function (x) { return nfc(x.entity); });
    var ro = rect.map(function (x, i) { return i; }).sort(function (i, j) { return cmpStr(re[i], re[j]) || cmpStr(rk[i], rk[j]); });
    return { summary: summary, results: this.ordered(byPlan, keyNames), rectification: ro.map(function (i) { return rect[i]; }) };
  };
  Engine.prototype.fixes = function (p, row, v, res, failures, ctx, lang) {
    var fixes = this.solve(p, row, ctx), out = new Array(fixes.length);
    for (var i = 0; i < fixes.length; i++) out[i] = fixJSON(fixes[i], lang);
    res.fixes = out;
    if (v.outcome === 'fail' && v.level !== 'info') failures.push({ p: p, fixes: fixes });
  };
  // By rule (ruleset, code: unique), key (NFC), line.
  Engine.prototype.ordered = function (byPlan, keyNames) {
    var plans = this.plans, out = [];
    var rowOrder = this.data.tables.map(function (t, e) {
      var names = keyNames[e] || [], rows = [], plain = true;
      for (var r = 0; r < names.length; r++) { rows.push(r); if (plain && !BMP_LOW.test(names[r])) plain = false; }
      // Below U+D800 cmpStr is <.
      return rows.sort(plain ? function (a, b) { var x = names[a], y = names[b]; return x < y ? -1 : x > y ? 1 : t.lines[a] - t.lines[b]; }
        : function (a, b) { return cmpStr(names[a], names[b]) || t.lines[a] - t.lines[b]; });
    });
    plans.map(function (p, i) { return i; }).sort(function (a, b) {
      return cmpNFC(plans[a].ruleset, plans[b].ruleset) || cmpNFC(plans[a].code, plans[b].code) || a - b;
    }).forEach(function (i) { inOrder(byPlan[i], rowOrder[plans[i].entity], out); });
    return out;
  };
  function inOrder(list, rows, out) { for (var i = 0; i < rows.length; i++) { var r = list[rows[i]]; if (r) out.push(r); } }
  function tally() { return { results: 0, pass: 0, fail: 0, waived: 0, notApplicable: 0, missing: 0, undefined: 0, byLevel: { error: 0, warning: 0, info: 0 } }; }
  function count(s, o, level) {
    s.results++;
    if (o === 'fail') { s.fail++; s.byLevel[level || 'error']++; }
    else if (o === 'not-applicable') s.notApplicable++;
    else s[o]++;
  }
  // Shared by results (a report is read, not changed).
  var NONE = [];
  Engine.prototype.result = function (p, row, v, ctx, lang, key, name, source) {
    var nm = p.measures.length, measures = nm ? new Array(nm) : NONE;
    for (var i = 0; i < nm; i++) {
      var x = p.measures[i](ctx);
      var m = p.mm[i];
      measures[i] = { name: m.name, value: p.numeric[i] && typeof x === 'number' ? roundForReport(x / m.scale) : null, unit: m.unit };
    }
    var message = (v.outcome === 'fail' || v.outcome === 'waived') && p.message ? messageOf(p, ctx) : null;
    if (v.missing.length || v.why) return this.unknownResult(p, v, measures, message, lang, key, name, source);
    return {
      ruleset: p.ruleset, rule: p.code, title: p.title, entity: p.entityName, key: key, name: name, outcome: v.outcome, level: v.level,
      measures: measures, message: message, cite: p.cite, missingFields: NONE, fixes: NONE, source: source
    };
  };
  function messageOf(p, ctx) {
    var out = '';
    for (var i = 0; i < p.message.length; i++) { var part = p.message[i]; out += part.v ? formatValue(part.v(ctx), part.type, part.d) : part.t; }
    return out;
  }
  Engine.prototype.unknownResult = function (p, v, measures, message, lang, key, name, source) {
    var self = this, out = {
      ruleset: p.ruleset, rule: p.code, title: p.title, entity: p.entityName, key: key, name: name, outcome: v.outcome, level: v.level,
      measures: measures, message: message, cite: p.cite, missingFields: v.missing.slice()
    };
    if (v.missing.length) out.missingLabels = v.missing.map(function (f) { return labelText(self.labels[p.entity][f] || { label: f }, lang); });
    out.fixes = NONE;
    out.source = source;
    if (v.why) out.undefinedReason = v.why;
    return out;
  };

  // --- the solver (Engine/Solver.swift)
  function fixJSON(f, lang) {
    var o = { field: f.field, from: f.from, to: f.to, delta: f.delta, unit: f.unit, action: f.action };
    if (f.reason) o.reason = f.reason[lang === 'en' ? 'en' : 'zh'];
    return o;
  }
  function setField(ctx, f, v) { ctx.fo[f] = v; ctx.foOn = true; }
  function clear(ctx) {
    if (ctx.foOn) { for (var i = 0; i < ctx.fo.length; i++) ctx.fo[i] = undefined; ctx.foOn = false; }
    ctx.ol = -1;
  }
  // Puts `base` in place for plan p, but for `except`'s input.
  function apply(base, p, except, ctx) {
    clear(ctx);
    for (var i = 0; i < base.length; i++) {
      var b = base[i];
      if (except && b.field === except.field && b.slot === except.slot) continue;
      if (b.field >= 0) setField(ctx, b.field, b.value);
      else if (b.plan === p.index) { ctx.ol = b.slot; ctx.olv = b.value; }
    }
  }
  var NO_BASE = [];
  Engine.prototype.solve = function (p, row, ctx) {
    var out = [];
    for (var i = 0; i < p.adj.length; i++) out.push(this.solveOne(p, i, row, NO_BASE, ctx));
    return out;
  };
  Engine.prototype.solveOne = function (p, ai, row, base, ctx) {
    var self = this, a = p.adj[ai];
    var fix = { field: a.name, label: a.label, from: null, to: null, delta: null, unit: a.symbol, action: a.action, reason: null };
    if (a.slot >= 0 && base.some(function (b) { return b.slot >= 0 && b.plan === p.index && b.slot !== a.slot; })) {
      fix.reason = T('已按另一项整改调整，无法同时调整' + fix.label, 'another change is already planned; ' + fix.label + ' cannot be changed with it');
      return fix;
    }
    apply(base, p, a, ctx);
    reset(ctx, row);
    var current = p.readers[ai](ctx);
    if (typeof current !== 'number') {
      clear(ctx);
      fix.reason = T(fix.label + '的当前值缺失或无法计算，无法求出整改量', 'the current value of ' + fix.label + ' is missing or undefined, so no change can be computed');
      return fix;
    }
    var scale = a.scale, fromShown = current / scale;
    fix.from = roundForReport(fromShown);
    var stepShown = a.step / scale, places = Math.max(decimals(fromShown), decimals(stepShown)), sign = a.up ? 1 : -1, up = a.up;
    var pow = Math.pow(10, places);
    function candidate(k) {
      var x = fromShown + sign * k * stepShown, v = x * pow;
      return !isFinite(v) || Math.abs(v) >= 9.0e15 ? x : rha(v) / pow;
    }
    var farthest = null, field = a.field;
    // `base` stays in place: a step sets only the searched input.
    function put(k) {
      var v = candidate(k) * scale;
      if (!isFinite(v)) return false;
      if (field >= 0) setField(ctx, field, v);
      else { ctx.ol = a.slot; ctx.olv = v; }
      return true;
    }
    // A scope the input cannot change is found once; each step is tested once.
    var fixedScope = p.unreachable[ai] !== null, scope;
    function outcome() {
      if (!fixedScope) return outcomeOf(p, ctx);
      if (scope === undefined) scope = scopeOf(p, ctx);
      return scope === 'ok' ? requiresOf(p, ctx) : scope;
    }
    // The last steps that passed and failed: finish re-tests them.
    var passK = NaN, failK = NaN, steady = p.steady[ai];
    function test(k) {
      if (k === passK) return true;
      if (k === failK) return false;
      var r = false;
      if (put(k)) {
        var was = ctx.gen;
        reset(ctx, row);
        for (var i = 0; i < steady.length; i++) if (ctx.cg[steady[i]] === was) ctx.cg[steady[i]] = ctx.gen;
        var o = outcome();
        if (o === 'pass') r = true;
        else if (o === 'fail' || o === 'missing') { if (k > (farthest === null ? 0 : farthest)) farthest = k; }
      }
      if (r) passK = k; else failK = k;
      return r;
    }
    // Fails k steps away by a require the input cannot reach, in a scope it cannot change.
    function failsWhateverTheInput(k) {
      var ind = p.unreachable[ai];
      if (!ind || !ind.length || !put(k)) return false;
      reset(ctx, row);
      return outcome() === 'fail' && ind.some(function (i) { return p.requires[i](ctx) === false; });
    }
    var result = (function () {
      var maxSteps;
      if (up) {
        var m = Number.MAX_VALUE / stepShown;
        maxSteps = isFinite(m) ? Math.floor(m) : Number.MAX_VALUE;
      } else {
        if (!(fromShown > 0)) {
          fix.reason = T(fix.label + '已为 ' + formatNumber(fromShown) + '，不能再减少', fix.label + ' is already ' + formatNumber(fromShown) + ' and cannot go lower');
          return fix;
        }
        maxSteps = Math.floor(fromShown / stepShown + 1e-9);
      }
      if (!(stepShown > 0) || !(maxSteps >= 1) || !isFinite(maxSteps)) {
        fix.reason = T(fix.label + '无法按步长 ' + formatNumber(stepShown) + ' 再减少', fix.label + ' cannot go lower by a step of ' + formatNumber(stepShown));
        return fix;
      }
      function notFound() {
        var zh = up ? '只调整' + fix.label + '无法使规则达标' : '即使把' + fix.label + '减到 0 也无法使规则达标';
        var en = up ? 'changing ' + fix.label + ' alone cannot make the rule pass' : 'even ' + fix.label + ' at zero does not make the rule pass';
        var reason = null;
        if (farthest !== null && put(farthest)) reason = self.unmet(p, row, ctx, function (t) { return T(zh + '，另需 ' + t.zh, en + '; it also needs ' + t.en); });
        fix.reason = reason || (up ? T(zh + '（其他条件起决定作用）', en + ' (another input decides)') : T(zh, en));
        return fix;
      }
      function finish(k) {
        var to = candidate(k), before = candidate(k - 1);
        if (!isFinite(to) || !(k === 1 || before !== to)) {
          fix.reason = T(fix.label + '所需的整改量超出数值精度，无法给出可靠的整改量', 'the change ' + fix.label + ' needs is beyond the precision of numbers; no reliable change can be given');
          return fix;
        }
        if (!(test(k) && (k === 1 || !test(k - 1)))) {
          fix.reason = T('规则对' + fix.label + '不是单调的，无法给出可靠的整改量', 'the rule is not monotone in ' + fix.label + '; no reliable change can be given');
          return fix;
        }
        fix.to = roundForReport(to);
        fix.delta = roundForReport(roundTo(to - fromShown, places));
        return fix;
      }
      var linear = Math.min(maxSteps, 16), k = 1;
      for (; k <= linear; k++) if (test(k)) return finish(k);
      if (linear >= maxSteps) return notFound();
      var lo = linear, hi = Math.min(linear * 2, maxSteps);
      // It fails at every step: doubling's answer, at once.
      if (failsWhateverTheInput(lo)) {
        var far = farthest;
        var failsAt = function (k) { if (isFinite(candidate(k) * scale) && k > (far === null ? 0 : far)) far = k; };
        for (;;) {
          failsAt(hi);
          if (hi >= maxSteps && hi - 1 > lo) failsAt(hi - 1);
          lo = hi;
          if (hi >= maxSteps) { farthest = far; return notFound(); }
          hi = Math.min(hi * 2, maxSteps);
        }
      }
      while (!test(hi)) {
        if (hi >= maxSteps && hi - 1 > lo && test(hi - 1)) { hi -= 1; break; }
        lo = hi;
        if (hi >= maxSteps) return notFound();
        hi = Math.min(hi * 2, maxSteps);
      }
      while (hi - lo > 1) {
        var mid = Math.floor(lo + (hi - lo) / 2);
        if (!(mid > lo && mid < hi)) break;
        if (test(mid)) hi = mid; else lo = mid;
      }
      return finish(hi);
    })();
    clear(ctx);
    return result;
  };
  Engine.prototype.unmet = function (p, row, ctx, compose) {
    var failing = [], missing = [], i;
    for (i = 0; i < p.requires.length; i++) {
      reset(ctx, row);
      var v = p.requires[i](ctx);
      if (v === false) failing.push(i);
      else if (unk(v) && v.m) v.m.forEach(function (f) { if (missing.indexOf(f) < 0) missing.push(f); });
    }
    if (!failing.length && !missing.length) return null;
    var zh = [], en = [], self = this;
    for (i = 0; i < failing.length; i++) {
      var t = this.requireText(p, failing[i], row, ctx);
      if (zh.indexOf(t) < 0) { zh.push(t); en.push(t); }
    }
    if (missing.length) {
      var labels = missing.map(function (f) { return self.labels[p.entity][f] || { label: f }; }), seen = {};
      var shown = labels.filter(function (l) { var k = labelText(l, 'zh'); if (seen[k]) return false; seen[k] = 1; return true; });
      zh.push('补齐' + shown.map(function (l) { return labelText(l, 'zh'); }).join('、'));
      en.push('the data for ' + shown.map(function (l) { return labelText(l, 'en'); }).join(', '));
    }
    return compose(T(zh.join('；'), en.join('; ')));
  };
  var SYM = { '>=': '≥', '<=': '≤', '!=': '≠', '==': '=' };
  Engine.prototype.requireText = function (p, i, row, ctx) {
    var left = p.leftNames[i], sides = p.r.requires[i].sides;
    if (left !== null && sides && p.sides[i]) {
      reset(ctx, row);
      var right = p.sides[i].right(ctx);
      if (typeof right === 'number' && sides.rightType.type === 'number') return left + ' ' + (SYM[sides.op] || sides.op) + ' ' + showValue(right, sides.rightType);
    }
    return p.words[i];
  };
  // Engine.show: a value with its unit, as explain prints it.
  function showValue(v, ty) {
    if (ty.type === 'number') { var s = formatNumber(v / ty.unit.scale); return ty.unit.symbol ? s + ' ' + ty.unit.symbol : s; }
    if (ty.type === 'date') return fmtDate(v);
    return String(v);
  }
  // The 整改清单 entry of one record (Solver.swift rectify).
  function Merged() { this.pending = []; this.conflicts = []; this.conflictRules = {}; this.noRemedy = {}; }
  // Merges one verified remedy; true when the plan changed.
  Merged.prototype.merge = function (p, ai, f) {
    if (f.to === null) return false;
    var a = p.adj[ai], up = a.up, to = f.to, pending = this.pending;
    for (var j = 0; j < pending.length; j++) {
      var pd = pending[j];
      // A let or measure is its rule's; fields are all rules'.
      if (!(pd.field === a.field && (a.field >= 0 || (pd.slot === a.slot && pd.plan === p.index)))) continue;
      if (pd.conflicted) { this.conflictRules[p.code] = 1; return false; }
      var ch = pd.change;
      if (pd.up !== up) {
        pd.conflicted = true;
        for (var i = 0; i < ch.rules.length; i++) this.conflictRules[ch.rules[i]] = 1;
        this.conflictRules[p.code] = 1;
        var rulesUp = (pd.up ? ch.rules : p.codes).join(', '), rulesDown = (pd.up ? p.codes : ch.rules).join(', ');
        this.conflicts.push(T(f.label + '：' + rulesUp + ' ↑ / ' + rulesDown + ' ↓', f.label + ': ' + rulesUp + ' ↑ / ' + rulesDown + ' ↓'));
        return true;
      }
      var changed = false;
      if (ch.rules.indexOf(p.code) < 0) { ch.rules.push(p.code); changed = true; }
      var cur = ch.to !== null ? ch.to : to;
      if (up ? to > cur : to < cur) {
        ch.to = to;
        ch.delta = roundForReport(roundTo(to - (ch.from !== null ? ch.from : 0), Math.max(pd.places, decimals(to))));
        ch.action = f.action !== null ? f.action : ch.action;
        changed = true;
      }
      return changed;
    }
    pending.push({
      change: { field: a.name, label: f.label, from: f.from, to: to, delta: f.delta, unit: f.unit, rules: [p.code], action: f.action },
      up: up, field: a.field, slot: a.slot, plan: p.index, scale: a.scale, places: Math.max(decimals(f.from !== null ? f.from : 0), decimals(to)), conflicted: false
    });
    return true;
  };
  Merged.prototype.planned = function () {
    var out = [];
    for (var i = 0; i < this.pending.length; i++) {
      var pd = this.pending[i];
      if (!pd.conflicted && pd.change.to !== null) out.push(new Planned(pd.field, pd.slot, pd.plan, pd.change.to * pd.scale));
    }
    return out;
  };
  Engine.prototype.passingWith = function (m, failures, row, ctx) {
    var base = m.planned(), out = [];
    for (var i = 0; i < failures.length; i++) { apply(base, failures[i].p, null, ctx); reset(ctx, row); out.push(outcomeOf(failures[i].p, ctx) === 'pass'); }
    return out;
  };
  Engine.prototype.rectify = function (e, row, failures, asOf, ctx, lang, key, name) {
    var m = new Merged(), i, j, k, f;
    for (k = 0; k < failures.length; k++) {
      f = failures[k];
      for (i = 0; i < f.fixes.length && f.fixes[i].to === null; i++);
      if (i < f.fixes.length) m.merge(f.p, i, f.fixes[i]);
      else if (f.fixes.length && f.fixes[0].reason) m.noRemedy[f.p.index] = f.fixes[0].reason;
    }
    var passing = this.passingWith(m, failures, row, ctx);
    for (var round = 0; round < 8; round++) {
      var changed = false;
      for (k = 0; k < failures.length; k++) {
        f = failures[k];
        if (passing[k] || !f.p.adj.length) continue;
        var base = m.planned();
        for (j = 0; j < f.p.adj.length; j++) {
          var fix = this.solveOne(f.p, j, row, base, ctx);
          if (fix.to !== null) { if (m.merge(f.p, j, fix)) changed = true; break; }
          if (j === 0 && fix.reason) m.noRemedy[f.p.index] = fix.reason;
        }
      }
      if (!changed) break;
      passing = this.passingWith(m, failures, row, ctx);
    }
    return this.rectItem(m, e, row, failures, passing, asOf, ctx, lang, key, name);
  };
  Engine.prototype.rectItem = function (m, e, row, failures, passing, asOf, ctx, lang, key, name) {
    var passesAfter = [], stillFailing = [], unresolved = [], fin_ = m.planned(), owners = [], deadlines = [];
    for (var q = 0; q < failures.length; q++) {
      var p = failures[q].p;
      if (p.owner !== null) owners.push(p.owner);
      var d = resolveDeadline(p.deadline, asOf);
      if (d !== null) deadlines.push(d);
      if (passing[q]) { passesAfter.push(p.code); continue; }
      apply(fin_, p, null, ctx);
      stillFailing.push(p.code);
      var reason;
      if (!p.adj.length) reason = T('规则没有可调整的项（adjust）', 'the rule has no adjust');
      else if (m.conflictRules[p.code]) reason = T('整改方向冲突，相关项未调整', 'changes in opposite directions; that input is left unchanged');
      else if (p.index in m.noRemedy) { unresolved.push({ rule: p.code, reason: m.noRemedy[p.index] }); continue; }
      else reason = T('合并后的整改方案仍不能使规则达标', 'the merged changes do not make the rule pass');
      unresolved.push({ rule: p.code, reason: this.unmet(p, row, ctx, still(reason)) || reason });
    }
    clear(ctx);
    var L = lang === 'en' ? 'en' : 'zh', changes = [];
    for (q = 0; q < m.pending.length; q++) if (!m.pending[q].conflicted) changes.push(m.pending[q].change);
    if (changes.length > 1) changes.sort(function (a, b) { return cmpNFC(a.field, b.field); });
    var item = {
      entity: this.ir.entities[e].name, key: key, name: name, owner: owners.length ? owners[0] : null,
      deadline: deadlines.length ? fmtDate(Math.min.apply(null, deadlines)) : null,
      changes: changes.map(function (c) { return { field: c.field, from: c.from, to: c.to, delta: c.delta, unit: c.unit, rules: c.rules, action: c.action }; }),
      passesAfter: passesAfter.length > 1 ? passesAfter.sort(cmpNFC) : passesAfter,
      stillFailing: stillFailing.length > 1 ? stillFailing.sort(cmpNFC) : stillFailing
    };
    if (m.conflicts.length) item.conflicts = m.conflicts.map(function (t) { return t[L]; });
    if (unresolved.length) {
      item.unresolved = unresolved.sort(function (a, b) { return cmpNFC(a.rule, b.rule); })
        .map(function (u) { return { rule: u.rule, reason: u.reason ? u.reason[L] : '' }; });
    }
    return item;
  };
  function still(prefix) { return function (t) { return T(prefix.zh + '，仍不满足：' + t.zh, prefix.en + '; still not met: ' + t.en); }; }

  // --- reading data (§7; Data/HeaderMatching.swift, CellParsing.swift, Loader.swift)
  var WS = /[\t-\r \u0085\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]/;
  function fold(ch) {
    var c = ch.charCodeAt(0);
    if (c >= 0xFF01 && c <= 0xFF5E) return String.fromCharCode(c - 0xFEE0);
    return c === 0x3000 ? ' ' : ch;
  }
  function normalizeHeader(h) {
    var out = '', pending = false, chars = Array.from(h);
    for (var i = 0; i < chars.length; i++) {
      var u = fold(chars[i]);
      if (u === '\u3010' || u === '\u3014') u = '['; else if (u === '\u3011' || u === '\u3015') u = ']';
      if (WS.test(u)) { pending = out !== ''; continue; }
      if (pending) { out += ' '; pending = false; }
      out += u;
    }
    return out;
  }
  function splitHeaderUnit(header) {
    var h = normalizeHeader(header), s = Array.from(h);
    if (!s.length) return ['', null];
    var last = s[s.length - 1];
    if (last === ')' || last === ']') {
      var open = last === ')' ? '(' : '[', depth = 0, i = s.length - 1;
      for (; i >= 0; i--) {
        if (s[i] === last) depth++;
        else if (s[i] === open) { depth--; if (depth === 0) break; }
      }
      if (i > 0) {
        var label = normalizeHeader(s.slice(0, i).join('')), unit = normalizeHeader(s.slice(i + 1, s.length - 1).join(''));
        if (label) return [label, unit || null];
      }
      return [h, null];
    }
    var slash = s.lastIndexOf('/');
    if (slash > 0 && slash < s.length - 1) {
      var l2 = normalizeHeader(s.slice(0, slash).join('')), u2 = normalizeHeader(s.slice(slash + 1).join(''));
      if (l2 && u2) return [l2, u2];
    }
    return [h, null];
  }
  function editDistance(a, b) {
    var x = Array.from(a), y = Array.from(b);
    if (!x.length) return y.length;
    if (!y.length) return x.length;
    var prev = [], cur = [], j;
    for (j = 0; j <= y.length; j++) prev.push(j);
    for (var i = 1; i <= x.length; i++) {
      cur = [i];
      for (j = 1; j <= y.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
      prev = cur;
    }
    return prev[y.length];
  }
  function asciiLower(s) { return s.replace(/[A-Z]/g, function (c) { return c.toLowerCase(); }); }
  function closestName(name, candidates) {
    var q = normalizeHeader(name).toLowerCase(), n = Array.from(q).length;
    if (n === 0 || n > 256) return null;
    var limit = Math.max(1, Math.floor(n / 3)), best = null, bestD = 0;
    candidates.forEach(function (c0) {
      var c = normalizeHeader(c0).toLowerCase(), cn = Array.from(c).length;
      if (cn > 256 || Math.abs(cn - n) > limit) return;
      var d = editDistance(q, c);
      if (d <= limit && (best === null || d < bestD)) { best = c0; bestD = d; }
    });
    return best;
  }
  function trimCell(s) {
    var chars = Array.from(s), a = 0, b = chars.length;
    while (a < b && WS.test(chars[a])) a++;
    while (b > a && WS.test(chars[b - 1])) b--;
    return chars.slice(a, b);
  }
  function normalizeCellText(s) { return trimCell(s).map(fold).join(''); }
  var DASHES = '-\u2010\u2012\u2013\u2014\u2015\u2212\u2500\u2501\ufe58\ufe63';
  function isMarker(t) {
    if (Array.from(t).every(function (c) { return DASHES.indexOf(c) >= 0; })) return true;
    var l = t.toLowerCase();
    return l === '/' || l === '\\' || l === '无' || l === 'n/a' || l === 'na' || l === '#n/a' || l === '空';
  }
  // Loader.isPlain: such a cell is taken as it is.
  function isPlain(s) {
    var f = s.charCodeAt(0), l = s.charCodeAt(s.length - 1), n = 0;
    if (f === 32 || f === 9 || f === 13 || f === 10 || l === 32 || l === 9 || l === 13 || l === 10) return false;
    if ((f >= 0x3000 && f <= 0x3FFF) || (l >= 0x3000 && l <= 0x3FFF) || (f >= 0x80 && f <= 0xBF) || (l >= 0x80 && l <= 0xBF)) return false;
    // No character in U+F000…U+FFFF, and more than 6 UTF-8 bytes.
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c >= 0xF000 && c <= 0xFFFF) return false;
      if (c < 0xD800 || c > 0xDBFF) { n += c < 0x80 ? 1 : c < 0x800 ? 2 : 3; continue; }
      n += 4;
      c = s.charCodeAt(++i);
      if (c >= 0xF000 && c <= 0xFFFF) return false;
    }
    return n > 6;
  }
  var ERR = {
    notANumber: T('不是数字', 'not a number'),
    outOfRange: T('数值超出范围', 'number out of range'),
    notABool: T('不是是/否值（可用 是/否、Y/N、true/false、1/0）', 'not a yes/no value (use 是/否, Y/N, true/false, 1/0)'),
    notADate: T('不是日期（可用 2024-10-31、2024/10/31、2024年10月31日）', 'not a date (use 2024-10-31, 2024/10/31, 2024年10月31日)'),
    dateHasTime: T('日期带有非零时刻', 'date has a time of day')
  };
  var KINDS = { number: 1, integer: 1, text: 2, ref: 3, bool: 4, date: 5 };
  // parseNumber: {v, pct} | {empty, marker} | {err}
  function parseNumber(text) {
    var t;
    if (ASCII.test(text)) {
      t = text.replace(/^[ \t-\r]+|[ \t-\r]+$/g, '');
      if (t === '') return { empty: true, marker: null };
    } else {
      t = normalizeCellText(text);
      if (t === '') return { empty: true, marker: null };
      if (isMarker(t)) return { empty: true, marker: t };
      t = t.replace(/[\u2212\ufe63]/g, '-');
      if (!ASCII.test(t)) return { err: ERR.notANumber };
    }
    var n = scanNumber(t);
    if (n) return n;
    if (isMarker(t)) return { empty: true, marker: t };
    return { err: ERR.notANumber };
  }
  function scanNumber(p) {
    var i = 0, hi = p.length, neg = false;
    if (p[i] === '-' || p[i] === '+') { neg = p[i] === '-'; i++; }
    var mant = '', sig = 0, dropped = 0, exp10 = 0, seen = 0;
    function add(ch, frac) {
      seen++;
      if (sig === 0 && ch === '0') { if (frac) exp10--; return; }
      if (sig < 19) { mant += ch; sig++; if (frac) exp10--; } else if (!frac) dropped++;
    }
    var group = 0, comma = false;
    while (i < hi) {
      var b = p[i];
      if (b >= '0' && b <= '9') { add(b, false); group++; i++; }
      else if (b === ',') {
        if (comma ? group !== 3 : (group < 1 || group > 3)) return null;
        comma = true; group = 0; i++;
      } else break;
    }
    if (comma && group !== 3) return null;
    var intDigits = seen;
    if (i < hi && p[i] === '.') { i++; while (i < hi && p[i] >= '0' && p[i] <= '9') { add(p[i], true); i++; } }
    if (seen === 0) return null;
    if (comma && intDigits === 0) return null;
    exp10 += dropped;
    if (i < hi && (p[i] === 'e' || p[i] === 'E')) {
      i++;
      var eneg = false;
      if (i < hi && (p[i] === '-' || p[i] === '+')) { eneg = p[i] === '-'; i++; }
      var e = 0, ed = 0;
      while (i < hi && p[i] >= '0' && p[i] <= '9') { if (e < 100000) e = e * 10 + (p.charCodeAt(i) - 48); ed++; i++; }
      if (ed === 0) return null;
      exp10 += eneg ? -e : e;
    }
    while (i < hi && /[ \t-\r]/.test(p[i])) i++;
    var pct = false;
    if (i < hi && p[i] === '%') { pct = true; exp10 -= 2; i++; while (i < hi && /[ \t-\r]/.test(p[i])) i++; }
    if (i !== hi) return null;
    var v = mant === '' ? 0 : Number(mant + 'e' + exp10);
    if (!isFinite(v)) return { err: ERR.outOfRange };
    if (neg && v !== 0) v = -v;
    return { v: v, pct: pct };
  }
  function parseBool(text) {
    var t = normalizeCellText(text);
    if (t === '') return { empty: true, marker: null };
    switch (t.toLowerCase()) {
      case '是': case '√': case '✓': case '✔': case 'y': case 'yes': case 'true': case 't': case '1': case '对': return { v: true };
      case '否': case '×': case '✗': case '✘': case 'n': case 'no': case 'false': case 'f': case '0': case '错': return { v: false };
    }
    return isMarker(t) ? { empty: true, marker: t } : { err: ERR.notABool };
  }
  function parseDate(text) {
    var t = normalizeCellText(text);
    if (t === '') return { empty: true, marker: null };
    if (isMarker(t)) return { empty: true, marker: t };
    var s = Array.from(t), pos = 0;
    function digits(min, max) {
      var n = 0, v = 0;
      while (pos < s.length && n < max && s[pos] >= '0' && s[pos] <= '9' && s[pos].length === 1) { v = v * 10 + (s[pos].charCodeAt(0) - 48); n++; pos++; }
      return n >= min ? v : null;
    }
    function spaces() { while (pos < s.length && (s[pos] === ' ' || s[pos] === '\t')) pos++; }
    function eat(c) { if (s[pos] === c) { pos++; return true; } return false; }
    var y, m, d, bad = { err: ERR.notADate };
    if (s.length >= 8 && /^[0-9]{8}$/.test(s.slice(0, 8).join('')) && (s.length === 8 || !/^\p{N}$/u.test(s[8]))) {
      y = digits(4, 4); m = digits(2, 2); d = digits(2, 2);
    } else {
      y = digits(4, 4);
      if (y === null) return bad;
      spaces();
      if (eat('年')) {
        spaces(); m = digits(1, 2); if (m === null) return bad;
        spaces(); if (!eat('月')) return bad;
        spaces(); d = digits(1, 2); if (d === null) return bad;
        spaces(); if (!eat('日')) eat('号');
      } else {
        var sep = s[pos];
        if (sep !== '-' && sep !== '/' && sep !== '.') return bad;
        pos++;
        m = digits(1, 2);
        if (m === null || !eat(sep)) return bad;
        d = digits(1, 2);
        if (d === null) return bad;
      }
    }
    if (pos < s.length) {
      if (!eat('T') && !eat(' ')) return bad;
      spaces();
      var parts = [], h = digits(1, 2);
      if (h === null) return bad;
      parts.push(h);
      while (eat(':')) { var v = digits(2, 2); if (v === null) return bad; parts.push(v); }
      if (eat('.')) { var fr = digits(1, 9); if (fr === null) return bad; parts.push(fr); }
      eat('Z');
      if (pos < s.length || parts.length < 2) return bad;
      if (parts.some(function (x) { return x !== 0; })) return { err: ERR.dateHasTime };
    }
    var days = daysFrom(y, m, d);
    if (days === null) { var dt = y + '-' + m + '-' + d; return { err: T('日期不存在：' + dt, 'no such date: ' + dt) }; }
    return { v: days };
  }
  // excelSerialToDays, 1900 system: serial 60 is Lotus's 1900-02-29, which does not exist.
  function excelSerial(serial) {
    if (!isFinite(serial) || serial < 0 || serial >= 2958466 || Math.floor(serial) === 0) return { err: T('不是有效的 Excel 日期序号', 'not a valid Excel date serial') };
    var whole = Math.floor(serial);
    if (whole === 60) return { err: T('日期不存在：1900-2-29', 'no such date: 1900-2-29') };
    return { v: whole < 60 ? whole - 25568 : whole - 25569 };
  }
  function isExponentNumber(s) {
    return /^[ \t]*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)[eE][+-][0-9]+[ \t]*$/.test(s);
  }
  function cellText(v) {
    if (v === null || v === undefined) return '';
    if (typeof v === 'number') return v === Math.round(v) && Math.abs(v) < 1e15 ? String(v === 0 ? 0 : v) : numberText(v);
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    return String(v);
  }
  function unitLookup(ir, name) {
    for (var i = 0; i < ir.units.length; i++) { var u = ir.units[i]; if (u.name === name || u.aliases.indexOf(name) >= 0) return u; }
    return null;
  }
  function sameBase(a, b) {
    var ka = Object.keys(a).filter(function (k) { return a[k] !== 0; }), kb = Object.keys(b).filter(function (k) { return b[k] !== 0; });
    return ka.length === kb.length && ka.every(function (k) { return a[k] === b[k]; });
  }
  var NOUNIT = { symbol: '', scale: 1, base: {} };
  function matchHeader(ir, raw, E) {
    var h = normalizeHeader(raw);
    function find(name) {
      for (var i = 0; i < E.fields.length; i++) if (E.fields[i].name === name || normalizeHeader(E.fields[i].label) === name) return i;
      if (name.indexOf(' ') < 0) return -1;
      var sq = name.split(' ').join('');
      for (i = 0; i < E.fields.length; i++) if (normalizeHeader(E.fields[i].label).split(' ').join('') === sq) return i;
      return -1;
    }
    var fi = find(h);
    if (fi >= 0) return { field: fi, scale: (E.fields[fi].unit || NOUNIT).scale };
    var sp = splitHeaderUnit(raw), unit = sp[1];
    if (unit === null) return null;
    fi = find(sp[0]);
    if (fi < 0) return null;
    var fu = E.fields[fi].unit || NOUNIT;
    if (unit === fu.symbol) return { field: fi, scale: fu.scale };
    if ((unit === '%' || unit === '％') && Object.keys(fu.base).length === 0) return { field: fi, scale: 0.01 };
    var def = unitLookup(ir, unit);
    if (def && sameBase(def.base, fu.base)) return { field: fi, scale: def.scale };
    return { field: fi, bad: unit };
  }
  // Text cells are held NFC; `raws` keeps the text as written (key and name in reports).
  function emptyTable(E) {
    var raws = new Map();
    return { n: 0, cols: E.fields.map(function () { return []; }), byKey: new Map(), lines: [], path: E.name, raws: raws,
      raw: function (f, row, v) { var r = raws.size ? raws.get(f + ':' + row) : undefined; return r === undefined ? v : r; } };
  }
  function pushText(t, f, s) {
    var n = nfc(s);
    if (n !== s) t.raws.set(f + ':' + t.cols[f].length, s);
    t.cols[f].push(n);
  }

  // One entity's records; `sheet`: errors name their cell (XLSXLoading).
  function loadTable(ir, e, rows, path, errors, notes, sheet) {
    var E = ir.entities[e], t = emptyTable(E);
    t.path = path;
    var headerErrors = errors.length;
    function err(list, line, column, value, reason) { list.push({ path: path, line: line, column: column, value: value, reason: reason }); }
    // Rows as arrays in the order of `headers`; a row not an object is empty.
    var headers = [], seenH = Object.create(null), j;
    if (rows !== null && typeof rows === 'object' && !Array.isArray(rows)) {
      var hs = Array.isArray(rows.header) ? rows.header : [], at = [];
      for (j = 0; j < hs.length; j++) {
        var h0 = hs[j] === null || hs[j] === undefined ? '' : String(hs[j]);
        if (!seenH[h0]) { seenH[h0] = 1; headers.push(h0); at.push(j); }
      }
      rows = (Array.isArray(rows.rows) ? rows.rows : []).map(function (r) {
        return !Array.isArray(r) ? [] : at.length === hs.length ? r : at.map(function (k) { return r[k]; });
      });
    } else {
      rows = (Array.isArray(rows) ? rows : []).map(function (r) { return r !== null && typeof r === 'object' ? r : {}; });
      rows.forEach(function (r) {
        var ks = Object.keys(r);
        for (j = 0; j < ks.length; j++) if (!seenH[ks[j]]) { seenH[ks[j]] = 1; headers.push(ks[j]); }
      });
      rows = rows.map(function (r) { return headers.map(function (h) { return r[h]; }); });
    }
    if (!rows.length) return t;
    var colOf = E.fields.map(function () { return null; }), unknown = [], taken = {};
    headers.forEach(function (h) {
      var m = matchHeader(ir, h, E);
      if (m && m.bad === undefined) {
        var f = E.fields[m.field];
        if (taken[m.field]) err(notes, 1, h, null, T('列 “' + h + '” 与前面的列对应同一字段 ' + f.name + '，已忽略', "column '" + h + "' maps to field " + f.name + ' again and is ignored'));
        else { taken[m.field] = 1; colOf[m.field] = { h: h, scale: m.scale }; }
      } else if (m) {
        var fb = E.fields[m.field], sym = (fb.unit || NOUNIT).symbol;
        err(errors, 1, h, m.bad, T('列的单位 “' + m.bad + '” 无法换算为字段 ' + fb.name + ' 的单位 ' + (sym || '（无）') + '，该列未读取',
          "the column's unit '" + m.bad + "' cannot be converted to " + fb.name + "'s unit " + (sym || '(none)') + '; the column was not read'));
      } else if (h.trim() !== '') unknown.push(h);
    });
    if (unknown.length) err(notes, 1, null, unknown.join(', '), T('未识别的列已忽略：' + unknown.join('、'), 'unknown columns ignored: ' + unknown.join(', ')));
    E.fields.forEach(function (f, fi) {
      if (taken[fi] || f.optional) return;
      var hint = closestName(f.label, unknown); if (hint === null) hint = closestName(f.name, unknown);
      err(errors, 1, f.label, null, T('缺少必填列 “' + f.label + '”（字段 ' + f.name + '）' + (hint !== null ? '；是否是列 “' + hint + '”？' : ''),
        "required column '" + f.label + "' (field " + f.name + ') is missing' + (hint !== null ? "; did you mean column '" + hint + "'?" : '')));
    });
    var kf = E.keyField;
    if (kf !== null && !colOf[kf]) {
      var kl = E.fields[kf];
      err(errors, null, kl.label, null, T('找不到记录标识列 “' + kl.label + '”（字段 ' + kl.name + '），无法读取', "the key column '" + kl.label + "' (field " + kl.name + ') is missing; the file cannot be read'));
      return t;
    }
    function cellRefs(from, line, columnOf) {
      if (!sheet) return;
      for (var i = from; i < errors.length; i++) {
        var c = errors[i].column === null ? -1 : columnOf(errors[i].column);
        if (c < 0) continue;
        var ref = '', n = c + 1;
        while (n > 0) { ref = String.fromCharCode(65 + (n - 1) % 26) + ref; n = Math.floor((n - 1) / 26); }
        ref += line;
        errors[i].reason = T(errors[i].reason.zh + '（单元格 ' + ref + '）', errors[i].reason.en + ' (cell ' + ref + ')');
      }
    }
    cellRefs(headerErrors, 1, function (h) { return headers.indexOf(h); });
    var markers = {}, allowed = E.fields.map(function (f) { return f.kind === 'text' && f.oneOf ? f.oneOf.map(nfc) : null; });
    var nf = E.fields.length, heads = colOf.map(function (c) { return c ? headers.indexOf(c.h) : -1; });
    var kinds = E.fields.map(function (f) { return KINDS[f.kind] || 0; }), numeric = kinds.map(function (k) { return k === 1; });
    for (var ri = 0; ri < rows.length; ri++) {
      var before = errors.length;
      readRow(rows[ri], ri);
      if (sheet && errors.length > before) cellRefs(before, ri + 2, sheetColumn);
    }
    function sheetColumn(label) {
      for (var fi = 0; fi < nf; fi++) if (E.fields[fi].label === label) return colOf[fi] ? headers.indexOf(colOf[fi].h) : -1;
      return -1;
    }
    // A number or boolean is a sheet's typed cell (XLSXLoading.appendTyped).
    function rawOf(v) { return typeof v === 'string' ? v : typeof v === 'boolean' ? (v ? 'TRUE' : 'FALSE') : cellText(v); }
    function mangled(v, x) { return x !== null && ((typeof v === 'number' && !(Math.abs(v) < 1e15)) || isExponentNumber(x)); }
    function bad(fi, line, text, reason) {
      errors.push({ path: path, line: line, column: E.fields[fi].label, value: text, reason: reason });
      t.cols[fi].push(null);
    }
    function empty(fi, marker) { if (marker !== null) markers[fi] = (markers[fi] || 0) + 1; t.cols[fi].push(null); }
    function readRow(r, ri) {
      var line = ri + 2;
      var first = r[0];
      if (typeof first === 'string' && first[0] === '#') return;
      var key = null;
      if (kf !== null) {
        var kl = E.fields[kf].label, kv = r[heads[kf]], kr = rawOf(kv);
        if (mangled(kv, kr)) { errors.push({ path: path, line: line, column: kl, value: kr, reason: excelReason(kl, true) }); return; }
        var k = kr;
        if (!isPlain(k)) {
          k = normalizeCellText(k);
          if (k === '' || isMarker(k)) {
            errors.push({ path: path, line: line, column: kl, value: k, reason: T('缺少记录标识（' + kl + '），该记录未评估', 'the record has no key (' + kl + ') and was not evaluated') });
            return;
          }
        }
        var nk = nfc(k), firstRow = t.byKey.get(nk);
        if (firstRow !== undefined) {
          var fl = t.lines[firstRow];
          errors.push({ path: path, line: line, column: kl, value: k, reason: T('记录标识重复（首次出现在第 ' + fl + ' 行），该记录未评估', 'duplicate key (first seen at line ' + fl + '); the record was not evaluated') });
          return;
        }
        key = k;
      }
      var row = t.n;
      for (var fi = 0; fi < nf; fi++) {
        if (fi === kf) { pushText(t, fi, key); continue; }
        var h = heads[fi];
        if (h < 0) { t.cols[fi].push(null); continue; }
        readField(fi, r[h], line);
      }
      if (key !== null) t.byKey.set(nk, row);
      t.lines.push(line);
      t.n++;
    }
    function readField(fi, v, line) {
      var col;
      // ≤ 15 digits (most cells): scanNumber's value.
      if (numeric[fi] && typeof v === 'string' && v.length > 0 && v.length <= 15) {
        var d = 0, i = 0;
        for (; i < v.length; i++) { var ch = v.charCodeAt(i) - 48; if (ch < 0 || ch > 9) break; d = d * 10 + ch; }
        if (i === v.length) { t.cols[fi].push(d * colOf[fi].scale); return; }
      }
      var f = E.fields[fi], K = kinds[fi], text = rawOf(v), p;
      col = t.cols[fi];
      if (K === 3 && mangled(v, text)) return bad(fi, line, text, excelReason(f.label, false));
      if ((typeof v === 'number' || typeof v === 'boolean') && K !== 2 && K !== 3) return readTyped(fi, v, text, line);
      switch (K) {
        case 1: {
          var sc = colOf[fi].scale;
          p = parseNumber(text);
          if (p.err) return bad(fi, line, text, p.err);
          if (p.empty) return empty(fi, p.marker);
          if (f.kind === 'integer' && Math.abs(p.v - rha(p.v)) > 1e-9) return bad(fi, line, text, T('应为整数', 'must be a whole number'));
          col.push(p.v * (p.pct && sc === 0.01 && Object.keys(f.unit.base).length === 0 ? 1 : sc));
          return;
        }
        case 2: case 3: {
          var s = text;
          if (!isPlain(s)) {
            s = normalizeCellText(s);
            if (s === '') return empty(fi, null);
            if (isMarker(s)) return empty(fi, s);
          }
          if (allowed[fi] && allowed[fi].indexOf(nfc(s)) < 0) return bad(fi, line, text, T('不是允许的取值（' + f.oneOf.join('、') + '）', 'not one of the allowed values (' + f.oneOf.join(', ') + ')'));
          pushText(t, fi, s);
          return;
        }
        case 4:
          if (text === '1' || text === 'Y' || text === 'y' || text === '是') return col.push(true);
          if (text === '0' || text === 'N' || text === 'n' || text === '否') return col.push(false);
          p = parseBool(text);
          break;
        case 5: p = parseDate(text); break;
      }
      if (p.err) return bad(fi, line, text, p.err);
      if (p.empty) return empty(fi, p.marker);
      col.push(p.v);
    }
    function readTyped(fi, v, text, line) {
      var kind = E.fields[fi].kind, col = t.cols[fi], p;
      switch (kind) {
        case 'number': case 'integer':
          if (typeof v === 'boolean') return bad(fi, line, text, T('应为数值，单元格是真假值', 'must be a number; the cell holds TRUE/FALSE'));
          if (!isFinite(v)) return bad(fi, line, text, ERR.outOfRange);
          if (kind === 'integer' && Math.abs(v - rha(v)) > 1e-9) return bad(fi, line, text, T('应为整数', 'must be a whole number'));
          return col.push(v * colOf[fi].scale);
        case 'bool':
          if (v === true || v === 1) return col.push(true);
          if (v === false || v === 0) return col.push(false);
          return bad(fi, line, text, ERR.notABool);
        case 'date':
          if (typeof v === 'boolean') return bad(fi, line, text, ERR.notADate);
          p = excelSerial(v);
          if (p.err) return bad(fi, line, text, p.err);
          if (Math.abs(v - Math.floor(v)) * 86400 >= 0.5) return bad(fi, line, text, ERR.dateHasTime);
          return col.push(p.v);
      }
    }
    Object.keys(markers).map(Number).sort(function (a, b) { return a - b; }).forEach(function (fi) {
      var n = markers[fi];
      err(notes, null, E.fields[fi].label, null, T(n + ' 个单元格填写了“无/—/-”等空值标记，按缺失处理',
        n === 1 ? '1 cell holds an empty marker (无, —, -, …) and counts as missing' : n + ' cells hold an empty marker (无, —, -, …) and count as missing'));
    });
    return t;
  }
  function excelReason(label, key) {
    return T('“' + label + '”是编码，却以 Excel 数字（科学计数法或超过 15 位）的形式出现：Excel 的数字只保留 15 位有效数字，其余各位已经丢失、无法还原，不同的编码可能变成同一个值。请把该列设置为“文本”格式后重新填入原编码（dabiao template --format xlsx 生成的模板已设好），' + (key ? '该记录未评估' : '该引用按缺失处理'),
      "'" + label + "' is a code but arrived as an Excel number (exponent form or more than 15 digits): Excel keeps only 15 significant digits of a number, so the other digits are lost and cannot be recovered, and different codes may become the same value. Format the column as Text and enter the codes again (the template from dabiao template --format xlsx is formatted so); " + (key ? 'the record was not evaluated' : 'the reference counts as missing'));
  }
  function loadData(ir, tables, paths, errors, notes, sheets) {
    var data = { tables: ir.entities.map(emptyTable) };
    Object.keys(tables || {}).forEach(function (name) {
      var e = -1;
      for (var i = 0; i < ir.entities.length; i++) if (ir.entities[i].name === name) e = i;
      if (e < 0) throw new Error('no entity ' + name + ' in the rulebooks');
      data.tables[e] = loadTable(ir, e, tables[name] || [], (paths && paths[name]) || name, errors, notes, !!(sheets && sheets[name]));
    });
    return data;
  }
  function textOf(list, lang) {
    return list.map(function (x) { return { path: x.path, line: x.line, column: x.column, value: x.value, reason: x.reason[lang === 'en' ? 'en' : 'zh'] }; });
  }

  function ir() {
    if (!IR && root.DABIAO_IR) dabiao.load(root.DABIAO_IR);
    if (!IR) throw new Error('no IR loaded');
    return IR;
  }
  var dabiao = {
    load: function (x) {
      if (!x || x.irVersion !== 1) throw new Error('IR version ' + (x && x.irVersion) + ' is not one this evaluator reads (1)');
      IR = x;
      return dabiao;
    },
    check: function (tables, options) {
      var p = ir(), o = options || {}, lang = o.lang === 'en' ? 'en' : 'zh', asOf = isoDay(o.asOf);
      var errors = [], notes = [];
      var data = loadData(p, tables, o.paths, errors, notes, o.sheets);
      var baseline = o.baseline ? loadData(p, o.baseline, o.baselinePaths, [], []) : null;
      var out = new Engine(p, data, baseline).run(asOf, lang);
      out.dataErrors = textOf(errors, lang);
      out.notes = textOf(notes, lang);
      return out;
    },
    // For scripts/js/tests.js (runTests: the page runs no test blocks).
    internals: { ir: ir, isoDay: isoDay, nfc: nfc, emptyTable: emptyTable, pushText: pushText, approx: approx,
      run: function (data, waivers, asOf) { return new Engine(ir(), data, null, waivers).run(asOf, 'zh'); } },
    stringify: stringify,
    numberText: numberText,
    formatNumber: formatNumber
  };
  root.dabiao = dabiao;
})(typeof globalThis !== 'undefined' ? globalThis : this);
