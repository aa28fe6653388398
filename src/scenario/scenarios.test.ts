// Every ready scenario in scenarios/ (and scenarios/clusters/) loads, says what it shows (in its comment, and as `shows:` for every target), and has gates.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planRun } from '../plan/plan.js';
import { loadScenarioFile } from './load.js';
import { scenarioSchema } from './schema.js';

const dir = new URL('../../scenarios/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
const all = [...files, ...readdirSync(new URL('clusters/', dir)).map((f) => `clusters/${f}`)];

describe('scenarios/', () => {
  it('has a scenario for every adapter', () => {
    const adapters = new Set(files.flatMap((f) => Object.values(loadScenarioFile(new URL(f, dir).pathname).scenario.targets).map((t) => t.adapter)));
    expect([...adapters].sort()).toEqual(['kafka', 'memory', 'mqtt', 'nats', 'rabbitmq', 'redis']);
  });
  it.each(all.map((f) => [f]))('%s loads, plans, explains itself and has gates', async (f) => {
    const path = new URL(f, dir).pathname;
    const { scenario } = loadScenarioFile(path);
    // what it shows, stated for every target (test/scenarios.test.ts and the suites that run it check it)
    for (const target of Object.keys(scenario.targets)) expect((await planRun(scenario, { target })).shows.length, `${f}: shows for ${target}`).toBeGreaterThan(0);
    const text = readFileSync(path, 'utf8');
    expect(
      text
        .split('\n')
        .filter((l) => l.startsWith('#') && !l.includes('yaml-language-server'))
        .join(' ').length,
    ).toBeGreaterThan(60);
    expect(scenario.gates.length).toBeGreaterThan(0);
    expect(scenario.name).toBe(f.replace(/^clusters\//, '').replace(/\.yaml$/, ''));
    // A history's header keeps the scenario as run (after defaults); `faultline check` parses it again.
    expect(scenarioSchema.parse(JSON.parse(JSON.stringify(scenario)))).toEqual(scenario);
  });
});
