// Publish-only runs (workload.subscriptions 0): the producer side alone, as in OpenMessaging
// Benchmark's producer-only workloads. Nothing is consumed, so nothing may be called delivered or
// lost: the result says delivery was not checked, every report says so, and delivery gates are refused.
import { describe, expect, it } from 'vitest';
import { ScenarioError } from './errors.js';
import { renderSummary } from './report/console.js';
import { renderMarkdown } from './report/markdown.js';
import { runScenario } from './run/index.js';
import { parseScenario } from './scenario/load.js';

const scenario = (gates: string) => parseScenario(`name: publish-only\ntargets: { mem: { adapter: memory } }\nworkload: { subscriptions: 0, rate: 2k/s, duration: 1s }\ngates: ${gates}\n`, 'p.yaml').scenario;

describe('publish-only runs', () => {
  it('count and time what was published, and say delivery was not checked', async () => {
    const t0 = Date.now();
    const { result: r } = await runScenario(scenario('[acked == 100%, publish.p99 < 1s, throughput.acked > 1k/s]'), { write: false });
    expect(Date.now() - t0).toBeLessThan(3000); // no drain: nothing to wait for
    expect(r.delivery).toBe('not-checked');
    expect(r.status).toBe('passed');
    expect(r.counts.attempted).toBeGreaterThanOrEqual(1900);
    expect(r.counts.acked).toBe(r.counts.attempted);
    expect(r.latency.publish.count).toBe(r.counts.attempted);
    expect(r.latency.e2e.count).toBe(0);
    expect(renderSummary(r)).toMatch(/delivery\.+ not checked/);
    expect(renderSummary(r)).not.toMatch(/lost\.+/);
    expect(renderMarkdown(r)).toContain('Delivery not checked');
  });

  it('refuse gates that need deliveries', async () => {
    const err = await runScenario(scenario('[lost == 0, e2e.p99 < 1s, throughput.delivered > 1k/s, acked > 0]'), { write: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScenarioError);
    const problems = (err as ScenarioError).problems;
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/gates\[0\]: 'lost == 0' needs deliveries, but workload\.subscriptions is 0/);
  });
});
