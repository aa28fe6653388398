// The node timeline of a run on a cluster: one row per node, its fault windows drawn on the run's
// time axis (killed, paused, cut off), and who led the run's topic/queue/stream before and after each.
import { h } from 'preact';
import { LOCAL_CLUSTERS, type ClusterName } from '../../cluster/local.js';
import type { RunResult } from '../../result.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- preact's VNode<{}> is too narrow for elements with props; any element is fine here
export type VNode = ReturnType<typeof h<any>>;

const STATE: Record<string, { word: string; color: string }> = {
  kill: { word: 'killed', color: '#d62728' },
  pause: { word: 'paused', color: '#ff7f0e' },
  restart: { word: 'restarted', color: '#9467bd' },
  partition: { word: 'cut off', color: '#1f77b4' },
};

/** The SVG timeline, or null when the run's target is not a local cluster. */
export function nodeTimeline(r: RunResult): VNode | null {
  const cluster = (r.scenario as { targets?: Record<string, { cluster?: string }> }).targets?.[r.target.name]?.cluster as ClusterName | undefined;
  if (!cluster || !LOCAL_CLUSTERS[cluster]) return null;
  const nodes = LOCAL_CLUSTERS[cluster].nodes.map((n) => n.name);
  const totalMs = Math.max(1, ...r.phases.map((p) => p.endMs));
  const W = 900,
    LEFT = 50,
    ROW = 22,
    TOP = 18;
  const x = (ms: number) => Math.round(10 * (LEFT + ((W - LEFT - 10) * Math.max(0, Math.min(ms, totalMs))) / totalMs)) / 10;
  const y = (i: number) => TOP + i * ROW;
  const height = TOP + nodes.length * ROW + 20;
  const shapes: VNode[] = [];
  nodes.forEach((n, i) => {
    shapes.push(h('text', { x: 4, y: y(i) + 15, 'font-size': 12 }, n));
    shapes.push(h('rect', { x: x(0), y: y(i) + 4, width: x(totalMs) - x(0), height: ROW - 8, fill: '#e8f3e8' }));
  });
  for (const f of r.faults) {
    if (!f.nodes || f.startMs < 0) continue;
    const s = STATE[f.kind] ?? { word: f.kind, color: '#7f7f7f' };
    const end = f.endMs >= 0 ? f.endMs : totalMs;
    for (const n of f.nodes) {
      const i = nodes.indexOf(n);
      if (i < 0) continue;
      shapes.push(h('rect', { x: x(f.startMs), y: y(i) + 4, width: Math.max(3, x(end) - x(f.startMs)), height: ROW - 8, fill: s.color, opacity: 0.75 }, h('title', null, `${f.id} ${f.label}: ${n} ${s.word} ${(f.startMs / 1000).toFixed(1)}–${(end / 1000).toFixed(1)} s`)));
    }
    const led = [f.leaderBefore && `leader ${f.leaderBefore}`, f.leaderAfter && `→ ${f.leaderAfter}`].filter(Boolean).join(' ');
    if (led) shapes.push(h('text', { x: x(f.startMs), y: 12, 'font-size': 11 }, `${f.id}: ${led}`));
  }
  shapes.push(
    h(
      'text',
      { x: LEFT, y: height - 4, 'font-size': 11, fill: '#666' },
      `0 s … ${(totalMs / 1000).toFixed(0)} s; green: up; ${Object.values(STATE)
        .map((s) => s.word)
        .join(', ')} in colour`,
    ),
  );
  return h('section', null, h('h2', null, `Nodes of ${cluster}`), h('svg', { id: 'node-timeline', viewBox: `0 0 ${W} ${height}`, width: '100%', role: 'img', 'aria-label': `node timeline of ${cluster}` }, shapes));
}
