// The page's own script (runs in the browser): draws the charts from the embedded data with uPlot.
// Kept as plain ES2017 in a string so the report needs no bundler and no network.
export const CLIENT_JS = String.raw`
(function () {
  var data = JSON.parse(document.getElementById('fl-data').textContent);
  var runs = data.runs;
  var COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04'];
  var drawn = 0;
  var expected = 0;
  function done() {
    drawn++;
    if (drawn >= expected) window.__faultline = { drawn: drawn, drawnAt: performance.now() };
  }
  function width(el) { return Math.max(320, (el.clientWidth || 900) - 20); }
  var EVENT_COLORS = { rebalance: '#d97706', crash: '#dc2626', reconnect: '#9333ea' };
  function shade(windows, phases, events) {
    return {
      hooks: {
        drawClear: [function (u) {
          var ctx = u.ctx, top = u.bbox.top, h = u.bbox.height;
          ctx.save();
          windows.forEach(function (w) {
            if (w.startMs < 0) return;
            var x0 = u.valToPos(w.startMs / 1000, 'x', true), x1 = u.valToPos((w.endMs >= 0 ? w.endMs : w.plannedEndMs) / 1000, 'x', true);
            ctx.fillStyle = 'rgba(239, 68, 68, 0.12)';
            ctx.fillRect(x0, top, Math.max(2, x1 - x0), h);
            ctx.fillStyle = '#b91c1c';
            ctx.font = (11 * devicePixelRatio) + 'px sans-serif';
            ctx.fillText(w.id + ' ' + w.label, x0 + 4, top + 14 * devicePixelRatio);
          });
          ctx.strokeStyle = 'rgba(100, 116, 139, 0.6)';
          ctx.setLineDash([4, 4]);
          phases.forEach(function (p) {
            var x = u.valToPos(p.startMs / 1000, 'x', true);
            ctx.beginPath(); ctx.moveTo(x, top); ctx.lineTo(x, top + h); ctx.stroke();
          });
          // Client events (rebalance, crash, reconnect): a tick at the foot of the chart.
          ctx.setLineDash([]);
          ctx.lineWidth = 2 * devicePixelRatio;
          (events || []).forEach(function (e) {
            if (e.atMs < 0) return;
            var x = u.valToPos(e.atMs / 1000, 'x', true);
            ctx.strokeStyle = EVENT_COLORS[e.kind] || '#64748b';
            ctx.beginPath(); ctx.moveTo(x, top + h); ctx.lineTo(x, top + h - 12 * devicePixelRatio); ctx.stroke();
          });
          ctx.restore();
        }],
        draw: [function () { done(); }],
      },
    };
  }
  function chart(el, title, series, xs, ys, opts) {
    var o = {
      title: title, width: width(el), height: 280,
      scales: Object.assign({ x: { time: false } }, opts.scales || {}),
      axes: [Object.assign({ label: opts.xLabel || 'seconds' }, opts.xValues ? { values: opts.xValues } : {}), { label: opts.yLabel, size: 70 }],
      series: [{ label: opts.xLabel || 's' }].concat(series),
      plugins: opts.plugins || [],
    };
    el.innerHTML = '';
    return new uPlot(o, [xs].concat(ys), el);
  }
  function byRun(fn) { return runs.map(fn); }

  // Throughput over time.
  var tp = document.getElementById('chart-throughput');
  var lat = document.getElementById('chart-latency');
  var pct = document.getElementById('chart-percentiles');
  var lagEl = document.getElementById('chart-lag');
  expected = (tp ? 1 : 0) + (lat ? 1 : 0) + (pct ? 1 : 0) + (lagEl ? 1 : 0);
  function joined(key) {
    // One x axis for every run (seconds), each run's values aligned on it.
    var max = 0; runs.forEach(function (r) { max = Math.max(max, r.intervals.length); });
    var xs = []; for (var i = 1; i <= max; i++) xs.push(i);
    return { xs: xs, get: function (r, f) { return xs.map(function (t) { var iv = r.intervals[t - 1]; return iv ? f(iv) : null; }); } };
  }
  var single = runs.length === 1;
  var r0 = runs[0];
  var plugins = single ? [shade(r0.faults, r0.phases, r0.clientEvents)] : [{ hooks: { draw: [function () { done(); }] } }];
  if (lagEl) {
    // The broker's backlog, one sample a second (the last one after the drain).
    chart(lagEl, 'Consumer lag (events the broker holds for the consumers)', [{ label: 'lag', stroke: '#0891b2', width: 1.5, fill: 'rgba(8, 145, 178, 0.08)' }], r0.lag.map(function (s) { return s.atMs / 1000; }), [r0.lag.map(function (s) { return s.value; })], { yLabel: 'events', plugins: [shade(r0.faults, r0.phases, r0.clientEvents)] });
  }
  if (tp) {
    var j = joined();
    var s = [], ys = [];
    runs.forEach(function (r, i) {
      // A publish-only run has nothing delivered: its lines are the producer side's.
      var names = single ? [['attempted', '#94a3b8'], ['acked', '#2563eb']].concat(r.publishOnly ? [] : [['delivered', '#16a34a']]) : [[r.publishOnly ? 'acked' : 'delivered', COLORS[i % COLORS.length]]];
      names.forEach(function (n) {
        s.push({ label: (single ? '' : r.label + ' ') + n[0] + '/s', stroke: n[1], width: 1.5 });
        ys.push(j.get(r, function (iv) { return iv[n[0]]; }));
      });
    });
    chart(tp, 'Throughput (events per second)', s, j.xs, ys, { yLabel: 'events/s', plugins: plugins });
  }
  var logScale = true;
  function drawLatency() {
    var j = joined();
    var s = [], ys = [];
    runs.forEach(function (r, i) {
      var lines = r.publishOnly ? (single ? [] : [['publish p99', 'p99', COLORS[i % COLORS.length], 'publish']]) : single ? [['e2e p50', 'p50', '#16a34a'], ['e2e p99', 'p99', '#2563eb'], ['e2e p99.9', 'p999', '#9333ea'], ['e2e max', 'max', '#dc2626']] : [['e2e p99', 'p99', COLORS[i % COLORS.length]]];
      lines.forEach(function (l) {
        s.push({ label: (single ? '' : r.label + ' ') + l[0], stroke: l[2], width: 1.5 });
        ys.push(j.get(r, function (iv) { return l[3] ? (iv.acked > 0 ? Math.max(iv.publish[l[1]], 0.001) : null) : iv.delivered > 0 ? Math.max(iv.e2e[l[1]], 0.001) : null; }));
      });
      if (single) {
        s.push({ label: 'publish p99', stroke: '#f59e0b', width: 1, dash: [5, 3] });
        ys.push(j.get(r, function (iv) { return iv.acked > 0 ? Math.max(iv.publish.p99, 0.001) : null; }));
      }
    });
    chart(lat, 'Latency over time (ms)', s, j.xs, ys, { yLabel: 'ms', scales: { y: logScale ? { distr: 3 } : {} }, plugins: plugins });
  }
  if (lat) {
    drawLatency();
    var toggle = document.getElementById('toggle-log');
    if (toggle) toggle.addEventListener('click', function () { logScale = !logScale; toggle.textContent = logScale ? 'linear scale' : 'log scale'; drawLatency(); });
  }
  if (pct) {
    // HdrHistogram percentile plot: x = 1/(1-p) on a log axis.
    var xs = data.percentileTicks.map(function (p) { return 1 / (1 - p / 100); });
    var s = [], ys = [];
    runs.forEach(function (r, i) {
      ['e2e', 'publish'].forEach(function (k, n) {
        if (!r.percentiles[k]) return;
        s.push({ label: (single ? '' : r.label + ' ') + k, stroke: single ? (n ? '#f59e0b' : '#2563eb') : COLORS[i % COLORS.length], width: 2, dash: n ? [5, 3] : undefined });
        ys.push(r.percentiles[k].map(function (v) { return Math.max(v, 0.001); }));
      });
    });
    chart(pct, 'Latency by percentile (ms)', s, xs, ys, {
      xLabel: 'percentile', yLabel: 'ms', scales: { x: { time: false, distr: 3 }, y: { distr: 3 } },
      xValues: function (u, vals) {
        // Label the decades only: 1 = p0, 10 = p90, 100 = p99, 1000 = p99.9, ...
        return vals.map(function (v) {
          var k = Math.log10(v);
          if (v < 1 || Math.abs(k - Math.round(k)) > 1e-6) return '';
          return (Math.round(100 * (1 - 1 / v) * 1000) / 1000) + '%';
        });
      },
      plugins: [{ hooks: { draw: [function () { done(); }] } }],
    });
    var ax = pct.querySelector('.u-title'); if (ax) ax.title = 'x: 1/(1-p): 10 = p90, 100 = p99, 1000 = p99.9';
  }
})();
`;
