// The result contract (result.json): one shape read by reporters, merge, compare and CI scripts.
import type { DeliveryCounts, LostSplit, DeliveryVerdict } from './check/delivery.js';
import type { GateResult } from './check/gates.js';
import type { LatencySummary } from './observe/histograms.js';
import type { Interval } from './observe/intervals.js';

export const SCHEMA_VERSION = 1;

export type RunStatus = 'passed' | 'failed' | 'aborted' | 'error';

export interface Throughput {
  attemptedPerSec: number;
  ackedPerSec: number;
  deliveredPerSec: number;
}

export interface LatencyBlock {
  publish: LatencySummary;
  scheduleLag: LatencySummary;
  e2e: LatencySummary;
}

export interface PhaseResult {
  name: string;
  startMs: number;
  endMs: number;
  counts: { attempted: number; acked: number; failed: number; indeterminate: number; delivered: number };
  latency: LatencyBlock;
  throughput: Throughput;
}

export interface RunResult {
  schemaVersion: number;
  faultline: string;
  runId: string;
  seed: number;
  scenario: unknown;
  target: { name: string; adapter: string; [k: string]: unknown };
  status: RunStatus;
  error?: string;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  counts: DeliveryCounts;
  lostSplit: LostSplit;
  subscriptions: DeliveryVerdict['subscriptions'];
  foreign: number;
  /** Verdicts that could not be computed (a checker threw): never counted as passes. */
  unknown: string[];
  latency: LatencyBlock;
  throughput: Throughput;
  phases: PhaseResult[];
  faults: { id: string; kind: string; target: string; startMs: number; endMs: number; applied: boolean; healed: boolean; error?: string }[];
  recovery: { fault: string; recoveryMs: number | null }[];
  gates: GateResult[];
  histograms: { publish: string; scheduleLag: string; e2e: string };
  intervals: Interval[];
  samples: DeliveryVerdict['samples'];
  adapterStats: Record<string, number>;
  ledger: { bytes: number; bytesPerEvent: number };
  environment: { node: string; os: string; cpus: number; client?: { name: string; version: string }; broker?: { version: string } };
}
