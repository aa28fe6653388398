// A scenario's `explore:` section: the space `faultline explore` draws fault schedules from. Every
// bound has a default, so a scenario without the section can be explored as it is.
import { z } from 'zod';
import { count, duration, fraction } from '../scenario/fields.js';

export const EXPLORE_KINDS = ['kill', 'pause', 'restart', 'partition', 'latency', 'timeout', 'reset_peer', 'down', 'consumer'] as const;
export type ExploreKind = (typeof EXPLORE_KINDS)[number];

export const exploreSchema = z
  .strictObject({
    kinds: z.array(z.enum(EXPLORE_KINDS)).min(1).optional().meta({ description: 'fault kinds to draw from (default: every kind the target supports; restart is a kill with an empty window, so it is drawn only when named)' }),
    targets: z
      .array(z.string().regex(/^[a-z][a-z0-9-]*$/))
      .min(1)
      .optional()
      .meta({ description: 'what process faults and partitions aim at: roles (leader, followers, random-node) or node names on a cluster, resolved when the fault starts and logged as concrete nodes (default: every role; the service itself on one broker)' }),
    faults: z
      .strictObject({ min: count(1, 20).default(1), max: count(1, 20).default(4) })
      .prefault({})
      .meta({ description: 'how many faults one schedule has' }),
    window: z
      .strictObject({
        min: duration().optional().meta({ description: 'default: 300ms, or a tenth of the load if that is shorter' }),
        max: duration().optional().meta({ description: 'default: 3s, or a quarter of the load if that is shorter' }),
      })
      .prefault({})
      .meta({ description: 'how long each fault lasts' }),
    overlap: z.literal(1).default(1).meta({ description: 'how many faults may be active at once: 1 (a run gives each fault its own window, phase and recovery)' }),
    rate: z
      .strictObject({ min: z.number().positive().default(1), max: z.number().positive().default(1) })
      .prefault({})
      .meta({ description: 'the load multiplier range, drawn per schedule (the shrinker lowers it toward min)' }),
    tail: duration().optional().meta({ description: 'a fault-free tail at the end of every run, the recovery window (default: 2s, or a quarter of the load if that is shorter)' }),
    controls: fraction().default(0.25).meta({ description: 'the share of runs with no faults, to measure how often the system fails on its own' }),
  })
  .superRefine((e, ctx) => {
    if (e.faults.max < e.faults.min) ctx.addIssue({ code: 'custom', path: ['faults', 'max'], message: `must be at least faults.min (${e.faults.min})` });
    if (e.window.max !== undefined && e.window.min !== undefined && e.window.max < e.window.min) ctx.addIssue({ code: 'custom', path: ['window', 'max'], message: `must be at least window.min (${e.window.min} ms)` });
    if (e.rate.max < e.rate.min) ctx.addIssue({ code: 'custom', path: ['rate', 'max'], message: `must be at least rate.min (${e.rate.min})` });
  });
export type ExploreSpec = z.output<typeof exploreSchema>;

/** The bounds with the defaults that depend on the load resolved: what the generator and the shrinker use. */
export type ExploreBounds = Omit<ExploreSpec, 'window' | 'tail'> & { window: { min: number; max: number }; tail: number };

/** Windows and tail default to a fraction of the load when it is short, so a scenario of a few seconds can be explored as it is. */
export function resolveBounds(spec: ExploreSpec, durationMs: number): ExploreBounds {
  const max = spec.window.max ?? Math.max(spec.window.min ?? 0, Math.min(3000, Math.round(durationMs / 4)));
  const min = spec.window.min ?? Math.min(300, Math.round(durationMs / 10), max);
  return { ...spec, window: { min, max }, tail: spec.tail ?? Math.min(2000, Math.round(durationMs / 4)) };
}
