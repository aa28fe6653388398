// Every adapter's target schema, in one discriminated union (eager: validation needs no adapter code).
import { z } from 'zod';
import { memoryTarget } from './memory/config.js';

export const targetSchema = z.discriminatedUnion('adapter', [memoryTarget]);
export type TargetConfig = z.output<typeof targetSchema>;
