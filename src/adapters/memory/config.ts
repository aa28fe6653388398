// Target options of the in-process memory broker, including its seeded fault knobs.
import { z } from 'zod';
import { count, duration, fraction, rate } from '../../scenario/fields.js';

export const memoryTarget = z.strictObject({
  adapter: z.literal('memory'),
  partitions: count().default(4),
  drop: fraction().default(0).meta({ description: 'fraction of acknowledged events never delivered' }),
  duplicate: fraction().default(0).meta({ description: 'fraction of events delivered twice' }),
  duplicateWrites: fraction().default(0).meta({ description: 'fraction of events written twice, at two positions of the log, as a producer retry would: each copy delivered once (a final read finds both)' }),
  skip: fraction().default(0).meta({ description: 'fraction of events a member takes from its partition and never hands to its consumer, as a consumer that commits past them would: they stay in the log (a final read finds them: unseen)' }),
  reorder: fraction().default(0).meta({ description: 'fraction of events delivered after the next event of the same key' }),
  failAcks: fraction().default(0).meta({ description: 'fraction of sends refused (definite failure, not written)' }),
  lostAcks: fraction().default(0).meta({ description: 'fraction of sends written but answered with a timeout (indeterminate)' }),
  delay: duration().default(0).meta({ description: 'added to every delivery' }),
  stall: duration().optional().meta({ description: 'a consumer stuck with no fault in the scenario (for faultline’s own tests): this long after the first member joins, the broker stops handing events to member 0 of every subscription; the events stay in its log' }),
  readBack: z
    .union([z.boolean(), z.literal('partial')])
    .default(true)
    .meta({ description: 'false: the broker cannot be read back after the run, as MQTT cannot; partial: the final read stops after partition 0, as a read that ran out of time does (for faultline’s own tests): a loss is then not proven by a final read' }),
  persistence: z.boolean().default(true).meta({ description: 'false: a `kill: memory` or `restart: memory` fault forgets everything the broker holds (its queues and its log), the shape of Redis without persistence: events not yet handed to a consumer are lost' }),
  prefetch: count().optional().meta({ description: 'at most this many events handed to a member and not yet acknowledged (default: no limit); with a processing delay the backlog stays in the broker' }),
  maxRate: rate().optional().meta({ description: 'the broker accepts at most this many events per second; sends queue beyond it' }),
});
export type MemoryTarget = z.output<typeof memoryTarget>;
