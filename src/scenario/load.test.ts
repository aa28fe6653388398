import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../errors.js';
import { parseScenario } from './load.js';

const GOOD = `name: demo
targets:
  mem: { adapter: memory }
workload:
  rate: 500/s
  duration: 2s
`;

function problems(text: string, opts = {}): string[] {
  try {
    parseScenario(text, 's.yaml', opts);
  } catch (err) {
    if (err instanceof ScenarioError) return err.problems;
    throw err;
  }
  return [];
}

describe('scenario loading', () => {
  it('applies defaults and parses units', () => {
    const { scenario } = parseScenario(GOOD, 's.yaml');
    expect(scenario.workload).toMatchObject({ rate: 500, duration: 2000, warmup: 0, producers: 1, message: { size: 200, keys: { count: 100, distribution: 'uniform' } } });
    expect(scenario.targets.mem).toMatchObject({ adapter: 'memory', partitions: 4, drop: 0 });
    expect(scenario.drain).toEqual({ quiet: 2000, deadline: 30_000 });
  });

  it('reports every problem at once with file:line:col, the path, what was expected and what was found', () => {
    const p = problems(`name: demo
targets:
  mem: { adapter: memory, drop: lots }
workload:
  rate: fast
  duration: 2s
  producrs: 2
`);
    expect(p).toHaveLength(3);
    expect(p).toContainEqual(expect.stringMatching(/^s\.yaml:3:33: targets\.mem\.drop: expected a fraction or percentage .*found "lots"/));
    expect(p).toContainEqual(expect.stringMatching(/^s\.yaml:5:9: workload\.rate: .*rate.*found "fast"/));
    expect(p).toContainEqual(expect.stringMatching(/^s\.yaml:7:3: workload: unknown field 'producrs'/));
  });

  it('names a missing required field at its parent', () => {
    expect(problems('name: demo\ntargets: { mem: { adapter: memory } }\nworkload: { rate: 1/s }\n')).toEqual([expect.stringMatching(/^s\.yaml:3:11: workload\.duration: required: expected a duration/)]);
  });

  it('names an unknown adapter with the known ones', () => {
    expect(problems('name: demo\ntargets: { x: { adapter: kafkaa } }\nworkload: { rate: 1/s, duration: 1s }\n')[0]).toMatch(/targets\.x\.adapter: expected one of "memory"/);
  });

  it('checks Kafka client options against the client chosen', () => {
    const kafka = (t: string) => problems(`name: demo\ntargets: { k: { adapter: kafka, ${t} } }\nworkload: { rate: 1/s, duration: 1s }\n`);
    expect(kafka('producer: { compression: lz4 }')).toEqual([expect.stringMatching(/targets\.k\.producer\.compression: lz4 needs client: platformatic/)]);
    expect(kafka('client: platformatic, producer: { compression: lz4 }')).toEqual([]);
    expect(kafka('client: platformatic, producer: { idempotent: true, maxInFlightRequests: 6 }')).toEqual([expect.stringMatching(/maxInFlightRequests: an idempotent producer keeps order with at most 5/)]);
  });

  it('reports YAML syntax errors with their position', () => {
    expect(problems('name: demo\ntargets: [\n')[0]).toMatch(/^s\.yaml:\d+:\d+: YAML: /);
  });

  it('interpolates ${VAR} and ${VAR:-default}, and names a missing variable', () => {
    const text = GOOD.replace('500/s', '${RATE:-250/s}').replace('2s', '${DUR}');
    expect(parseScenario(text, 's.yaml', { env: { DUR: '3s' } }).scenario.workload).toMatchObject({ rate: 250, duration: 3000 });
    expect(problems(text, { env: {} })).toContainEqual(expect.stringMatching(/^s\.yaml:6:13: environment variable DUR is not set/));
  });

  it('applies --set overrides, and validates them', () => {
    const { scenario } = parseScenario(GOOD, 's.yaml', { set: ['workload.rate=2k/s', 'duration=5s', 'targets.mem.drop=1%'] });
    expect(scenario.workload.rate).toBe(2000);
    expect(scenario.workload.duration).toBe(5000);
    expect(scenario.targets.mem).toMatchObject({ drop: 0.01 });
    expect(problems(GOOD, { set: ['workload.rate=soon'] })[0]).toMatch(/--set workload\.rate: workload\.rate: .*found "soon"/);
  });
});
