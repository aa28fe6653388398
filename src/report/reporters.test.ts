// JSON, JUnit and Markdown outputs pinned by snapshots; the result validates against its own schema.
import { describe, expect, it } from 'vitest';
import { runResultSchema } from '../result.js';
import { fixtureResult } from '../../test/fixtures/result.js';
import { maskSecrets } from '../mask.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';

describe('reporters', () => {
  it('result.json: the fixture follows the result schema', async () => {
    const r = await fixtureResult();
    expect(runResultSchema.safeParse(JSON.parse(JSON.stringify(r))).success).toBe(true);
    const { histograms, ...rest } = r;
    expect(Object.keys(histograms)).toEqual(['publish', 'scheduleLag', 'e2e']);
    expect(JSON.stringify({ ...rest, intervals: rest.intervals.slice(0, 2) }, null, 2)).toMatchSnapshot();
  });
  it('junit.xml: one test case per gate, failures with value and threshold', async () => {
    const xml = renderJunit(await fixtureResult());
    expect(xml).toMatchSnapshot();
    expect(xml).toContain('<failure message="value 3, threshold == 0" type="gate">');
    expect(xml.match(/<testcase /g)).toHaveLength(3);
  });
  it('junit.xml escapes what it did not write', async () => {
    const xml = renderJunit(await fixtureResult({ text: '<script>"&' }));
    expect(xml).not.toContain('<script>');
  });
  it('summary.md: a compact table for GitHub step summaries', async () => {
    expect(renderMarkdown(await fixtureResult())).toMatchSnapshot();
  });
  it('masks secrets in the scenario shown in reports', () => {
    expect(maskSecrets({ url: 'amqp://user:hunter2@h:5672', password: 'x', nested: { apiKey: 'k', keys: { count: 3 } } })).toEqual({ url: 'amqp://user:***@h:5672', password: '***', nested: { apiKey: '***', keys: { count: 3 } } });
  });
});
