extension HTMLReport {
    /// The page script. It reads the rows from the JSON block (see
    /// `HTMLData`) and shows them a page at a time: filters by level, rule,
    /// city and owner and a search over key, name and message pick the rows,
    /// a click on a header sorts them. Filters and sorting work on an array
    /// of row numbers and per-column keys (typed arrays for numbers), never
    /// on table rows, and only one page of rows is ever in the table; so a
    /// hundred thousand results cost what a hundred do. Before printing, the
    /// rows written into the page for readers without scripting are replaced
    /// by the first of the rows the filters give, so what prints is what was
    /// chosen.
    static let script = #"""
    (function () {
      'use strict';
      var node = document.getElementById('dabiao-data');
      var table = document.getElementById('results-table');
      var bar = document.getElementById('filters');
      var nav = document.getElementById('pager');
      if (!node || !table || !bar || !nav) return;
      var D;
      try { D = JSON.parse(node.textContent); } catch (e) { return; }
      if (!D || D.v !== 1) return;
      var S = D.s, RULES = D.rules, RECS = D.recs, ROWS = D.rows, CATS = D.cats, T = D.t, OWNERS = D.owners;
      var N = ROWS.length, PAGE = D.page, STATIC = D['static'];
      var staticBody = table.querySelector('tbody.static'), live = table.querySelector('tbody.live');
      var shown = document.getElementById('shown'), note = document.getElementById('static-note');
      var search = document.getElementById('search');
      var ENT = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
      function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return ENT[c]; }); }
      function num(v) { return v === null ? '—' : String(v); }
      function fill(t, o) { return t.replace(/\{(\w)\}/g, function (_, k) { return String(o[k]); }); }

      // Must write what HTMLData.rowHTML writes.
      function row(i) {
        var r = ROWS[i], rule = RULES[r[0]], rec = RECS[r[1]], cat = CATS[r[2]], k, parts = [];
        var h = '<tr><td><span class="badge b-' + cat[1] + '">' + esc(cat[0]) + '</span></td>';
        h += '<td><span class="code">' + esc(S[rule[0]]) + '</span> <span class="rt">' + esc(S[rule[1]]) + '</span></td>';
        h += '<td class="code">' + esc(rec[0]) + '</td><td>' + esc(rec[1] === null ? '' : rec[1]) + '</td>';
        h += '<td class="nw">' + esc(rec[2] >= 0 ? S[D.cities[rec[2]]] : '') + '</td>';
        for (k = 0; k < r[3].length; k += 3) {
          parts.push(esc(S[r[3][k]] + ' ' + num(r[3][k + 1]) + (S[r[3][k + 2]] ? ' ' + S[r[3][k + 2]] : '')));
        }
        h += '<td>' + parts.join('<br>') + '</td>';
        parts = [];
        if (r[4] >= 0) parts.push(esc(S[r[4]]).replace(/\n/g, '<br>'));
        for (k = 0; k < r[5].length; k += 2) {
          parts.push(r[5][k] ? '<span class="missing">' + esc(S[r[5][k + 1]]) + '</span>' : esc(S[r[5][k + 1]]));
        }
        if (rule[2] >= 0 && S[rule[2]]) parts.push('<span class="cite">' + esc(T.cite + S[rule[2]]) + '</span>');
        h += '<td>' + parts.join('<br>') + '</td>';
        parts = [];
        r[6].forEach(function (f) {
          if (f.length === 1) { parts.push(esc(S[f[0]])); return; }
          var t = S[f[0]] + ' ' + num(f[1]) + ' → ' + num(f[2]);
          if (S[f[3]]) t += ' ' + S[f[3]];
          if (f[4] !== null) t += T.lp + f[4] + T.rp;
          if (S[f[5]]) t += ' ' + S[f[5]];
          parts.push(esc(t));
        });
        h += '<td>' + parts.join('<br>') + '</td>';
        return h + '<td class="src">' + esc(r[7] >= 0 ? S[r[7]] + (r[8] !== null ? ':' + r[8] : '') : '') + '</td></tr>';
      }

      var view = new Int32Array(0), page = 0, sortCol = -1, sortDir = 1, hay = null, keyCache = [];
      var selects = {};
      Array.prototype.forEach.call(bar.querySelectorAll('select'), function (s) {
        selects[s.name] = s;
        s.addEventListener('change', apply);
      });
      function chosen(name) { var s = selects[name]; return s && s.value !== '' ? +s.value : null; }
      function haystack() {
        if (!hay) {
          hay = new Array(N);
          for (var i = 0; i < N; i++) {
            var rec = RECS[ROWS[i][1]];
            hay[i] = (rec[0] + '\n' + (rec[1] || '') + '\n' + (ROWS[i][4] >= 0 ? S[ROWS[i][4]] : '')).toLowerCase();
          }
        }
        return hay;
      }
      function apply() {
        var lv = chosen('level'), ru = chosen('rule'), ci = chosen('city'), ow = chosen('owner');
        var own = ow === null ? null : OWNERS[ow];
        var q = search ? search.value.trim().toLowerCase() : '';
        var h = q ? haystack() : null, out = new Int32Array(N), n = 0;
        for (var i = 0; i < N; i++) {
          var r = ROWS[i];
          if (lv !== null && r[2] !== lv) continue;
          if (ru !== null && r[0] !== ru) continue;
          if (ci !== null && RECS[r[1]][2] !== ci) continue;
          if (own !== null && RULES[r[0]][3] !== own) continue;
          if (h && h[i].indexOf(q) < 0) continue;
          out[n++] = i;
        }
        view = out.subarray(0, n);
        if (sortCol >= 0) sortView();
        page = 0;
        render();
      }

      // Per column, one key per row: numbers in typed arrays, texts compared
      // by code unit; ties keep the failures-first order.
      function keys(col) {
        if (keyCache[col]) return keyCache[col];
        var k, i, r, v;
        if (col === 2 || col === 3 || col === 6) {
          k = new Array(N);
          for (i = 0; i < N; i++) {
            r = ROWS[i];
            k[i] = col === 2 ? RECS[r[1]][0] : col === 3 ? (RECS[r[1]][1] || '') : (r[4] >= 0 ? S[r[4]] : '');
          }
        } else {
          k = new Float64Array(N);
          var paths = null;
          if (col === 8) {
            var seen = {}, list = [];
            for (i = 0; i < N; i++) if (ROWS[i][7] >= 0 && !seen[ROWS[i][7]]) { seen[ROWS[i][7]] = 1; list.push(ROWS[i][7]); }
            list.sort(function (a, b) { return S[a] < S[b] ? -1 : S[a] > S[b] ? 1 : 0; });
            paths = {};
            list.forEach(function (p, j) { paths[p] = j; });
          }
          for (i = 0; i < N; i++) {
            r = ROWS[i];
            switch (col) {
              case 0: v = r[2]; break;
              case 1: v = r[0]; break;
              case 4: v = RECS[r[1]][2] >= 0 ? RECS[r[1]][2] : 1e9; break;
              case 5: v = r[3].length ? parseFloat(r[3][1]) : NaN; break;
              case 7: v = r[6].length && r[6][0].length > 1 && r[6][0][4] !== null ? parseFloat(r[6][0][4]) : NaN; break;
              default: v = r[7] >= 0 ? paths[r[7]] * 1e9 + (r[8] || 0) : NaN;
            }
            k[i] = v;
          }
        }
        keyCache[col] = k;
        return k;
      }
      function sortView() {
        var k = keys(sortCol), d = sortDir, numeric = !(k instanceof Array);
        view.sort(function (a, b) {
          var x = k[a], y = k[b];
          if (numeric) {
            // Unknown values last in either direction.
            if (x !== x || y !== y) return x !== x && y !== y ? a - b : x !== x ? 1 : -1;
          }
          return x < y ? -d : x > y ? d : a - b;
        });
      }

      function render() {
        var pages = Math.max(1, Math.ceil(view.length / PAGE));
        if (page >= pages) page = pages - 1;
        if (page < 0) page = 0;
        var a = page * PAGE, b = Math.min(view.length, a + PAGE), h = '';
        for (var i = a; i < b; i++) h += row(view[i]);
        live.innerHTML = h || '<tr><td colspan="9" class="empty">' + esc(T.none) + '</td></tr>';
        table.setAttribute('data-matches', String(view.length));
        shown.textContent = fill(T.shown, { m: view.length, n: N, a: view.length ? a + 1 : 0, b: b });
        var btn = function (go, label, off) {
          return '<button type="button" data-go="' + go + '"' + (off ? ' disabled' : '') + '>' + esc(label) + '</button>';
        };
        nav.innerHTML = btn('first', T.first, page === 0) + btn('prev', T.prev, page === 0)
          + '<span>' + esc(fill(T.page, { p: page + 1, n: pages })) + '</span>'
          + btn('next', T.next, page >= pages - 1) + btn('last', T.last, page >= pages - 1);
        nav.setAttribute('data-pages', String(pages));
      }
      nav.addEventListener('click', function (e) {
        var go = e.target && e.target.getAttribute && e.target.getAttribute('data-go');
        if (!go) return;
        var pages = Math.max(1, Math.ceil(view.length / PAGE));
        page = go === 'first' ? 0 : go === 'prev' ? page - 1 : go === 'next' ? page + 1 : pages - 1;
        render();
      });

      var heads = table.tHead.rows[0].cells;
      Array.prototype.forEach.call(heads, function (th, col) {
        th.classList.add('sortable');
        th.tabIndex = 0;
        function sort() {
          var t0 = performance.now();
          if (sortCol === col) { sortDir = -sortDir; } else { sortCol = col; sortDir = 1; }
          Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
          th.setAttribute('aria-sort', sortDir === 1 ? 'ascending' : 'descending');
          sortView();
          page = 0;
          render();
          table.setAttribute('data-sort-ms', (performance.now() - t0).toFixed(1));
        }
        th.addEventListener('click', sort);
        th.addEventListener('keydown', function (e) {
          if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(); }
        });
      });
      var timer = 0;
      if (search) search.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(apply, 150); });

      // What prints: the first rows of the current choice, in place of the
      // rows written into the page.
      window.addEventListener('beforeprint', function () {
        var n = Math.min(view.length, STATIC), h = '';
        for (var i = 0; i < n; i++) h += row(view[i]);
        staticBody.innerHTML = h;
        if (note) note.textContent = fill(T.printed, { a: n, m: view.length });
      });

      document.documentElement.classList.add('js');
      bar.hidden = false;
      nav.hidden = false;
      apply();
    })();

    """#
}
