// Faults on the nodes of a local cluster: node selectors resolved when the fault starts (the leader
// then, not at plan time), and partitions turned into one-way cuts between node addresses.
import { LOCAL_CLUSTERS, type ClusterName } from '../cluster/local.js';
import type { PartitionSpec } from './schema.js';

export interface ClusterView {
  cluster: ClusterName;
  /** The node leading the run's topic/queue/stream now, by name; undefined when no node answers. */
  leader(): Promise<string | undefined>;
  /** A deterministic draw in [0, n) (random-node), from the run's seed. */
  pick(n: number): number;
}

/** One-way: packets from `from` to `to` are cut. */
export type Cut = [from: string, to: string];

export const nodeNames = (cluster: ClusterName): string[] => LOCAL_CLUSTERS[cluster].nodes.map((n) => n.name);

/** The nodes a selector names now. */
export async function resolveNodes(selector: string, view: ClusterView): Promise<string[]> {
  const all = nodeNames(view.cluster);
  if (all.includes(selector)) return [selector];
  if (selector === 'random-node') return [all[view.pick(all.length)]];
  const leader = await view.leader();
  if (!leader) throw new Error(`no node of ${view.cluster} answers with a leader, so '${selector}' names nothing`);
  return selector === 'leader' ? [leader] : all.filter((n) => n !== leader);
}

const across = (a: string[], b: string[], both: boolean): Cut[] =>
  a.flatMap((x) =>
    b
      .filter((y) => y !== x)
      .flatMap((y): Cut[] =>
        both
          ? [
              [x, y],
              [y, x],
            ]
          : [[x, y]],
      ),
  );

/** The cuts a partition makes, given the nodes its selectors resolve to, and the side it cut off (all nodes for a ring). */
export async function partitionCuts(spec: PartitionSpec, view: ClusterView): Promise<{ cuts: Cut[]; side: string[] }> {
  const all = nodeNames(view.cluster);
  const both = spec.direction === 'both';
  if (spec.between) {
    const [a, b] = await Promise.all(spec.between.map(async (set) => [...new Set((await Promise.all(set.map((s) => resolveNodes(s, view)))).flat())]));
    return { cuts: across(a, b, both), side: a };
  }
  if (spec.isolate) {
    const a = await resolveNodes(spec.isolate, view);
    return {
      cuts: across(
        a,
        all.filter((n) => !a.includes(n)),
        both,
      ),
      side: a,
    };
  }
  // Majorities ring: node i hears only itself and the next ⌊n/2⌋ nodes around the ring, so each hears
  // a majority and no two hear the same one.
  const hears = Math.floor(all.length / 2) + 1;
  const cuts: Cut[] = [];
  all.forEach((to, i) => {
    const heard = new Set(Array.from({ length: hears }, (_, k) => all[(i + k) % all.length]));
    for (const from of all) if (!heard.has(from)) cuts.push([from, to]);
  });
  return { cuts, side: all };
}
