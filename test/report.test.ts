// Needs: Debian's Chromium (scripts/services.sh up installs it); no broker.
// Opens real report pages from file:// in headless Chromium: no console errors, every chart drawn,
// the gate table present, hostile strings shown as text, and a 1-hour report small and fast.
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureResult } from './fixtures/result.js';
import { percentileCurves, renderComparePage, renderRunPage } from '../src/report/html/page.js';
import { runScenario } from '../src/run/index.js';
import { parseScenario } from '../src/scenario/load.js';
import { launch } from './helpers/browser.js';
import { ROOT } from './helpers/services.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

interface Opened {
  page: Page;
  errors: string[];
  dialogs: string[];
  drawnMs: number;
}

async function open(file: string): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('dialog', (d) => (dialogs.push(d.message()), void d.dismiss()));
  await page.goto(`file://${file}`);
  await page.waitForFunction(() => (window as unknown as { __faultline?: unknown }).__faultline, null, { timeout: 10_000 });
  const drawnMs = await page.evaluate(() => (window as unknown as { __faultline: { drawnAt: number } }).__faultline.drawnAt);
  return { page, errors, dialogs, drawnMs };
}

/** Canvases with drawn (non-background) pixels. */
async function drawnCanvases(page: Page): Promise<boolean[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('canvas')).map((c) => {
      const d = (c as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let ink = 0;
      for (let i = 0; i < d.length; i += 16) if (d[i + 3] > 0 && (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240)) ink++;
      return ink > 200;
    }),
  );
}

const dir = mkdtempSync(path.join(tmpdir(), 'faultline-report-'));

describe('the HTML report in a browser', () => {
  it('a real run’s report: no console errors, every chart drawn, the gate table present', async () => {
    const { scenario } = parseScenario('name: report-real\ntargets: { m: { adapter: memory, duplicate: 1% } }\nworkload: { rate: 1k/s, duration: 4s, warmup: 1s }\ndrain: { quiet: 300ms }\ngates: [lost == 0, duplicated == 0, "e2e.p99 < 1s"]\n', 'r.yaml');
    const { dir: runDir } = await runScenario(scenario, { outDir: dir });
    const { page, errors, drawnMs } = await open(path.join(runDir!, 'report.html'));
    expect(errors).toEqual([]);
    const canvases = await drawnCanvases(page);
    // throughput, latency over time, consumer lag (the run's broker reports it), percentiles
    expect(canvases).toHaveLength(4);
    expect(canvases.every(Boolean)).toBe(true);
    expect(await page.locator('table.gates tr').count()).toBe(4);
    expect(await page.locator('.banner h1').innerText()).toMatch(/^FAILED/);
    mkdirSync(`${ROOT}reports`, { recursive: true });
    await page.screenshot({ path: `${ROOT}reports/report-screenshot.png`, fullPage: true });
    console.log(`real report: charts drawn ${drawnMs.toFixed(0)} ms after navigation start`);
    await page.close();
  });

  it('hostile strings from a scenario, an adapter or a broker render as text', async () => {
    const hostile = `<script>alert(1)</script>"><img src=x onerror=alert(2)>`;
    const result = await fixtureResult({ text: hostile });
    const file = path.join(dir, 'xss.html');
    writeFileSync(file, renderRunPage({ result, percentiles: await percentileCurves(result) }));
    const { page, errors, dialogs } = await open(file);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(3); // the data, uPlot and the page's own: none injected
    expect(await page.locator('body').innerText()).toContain(hostile);
    await page.close();
  });

  it('a 1-hour run (3,600 intervals): under 3 MB and charts drawn in under 2 s', async () => {
    const result = await fixtureResult({ seconds: 3600 });
    const file = path.join(dir, 'hour.html');
    writeFileSync(file, renderRunPage({ result, percentiles: await percentileCurves(result) }));
    const size = statSync(file).size;
    const { page, errors, drawnMs } = await open(file);
    console.log(`1-hour report: ${(size / 1e6).toFixed(2)} MB, charts drawn ${drawnMs.toFixed(0)} ms after navigation start`);
    expect(errors).toEqual([]);
    expect(size).toBeLessThan(3_000_000);
    expect(drawnMs).toBeLessThan(2000);
    expect((await drawnCanvases(page)).every(Boolean)).toBe(true);
    await page.close();
  });

  it('a comparison page: every target’s line on the charts, the best value of each row marked', async () => {
    const runs = await Promise.all(
      ['kafka', 'rabbitmq', 'nats'].map(async (name, i) => {
        const r = await fixtureResult();
        r.target = { name, adapter: name };
        r.latency.e2e.p99 = 10 + i;
        return { result: r, percentiles: await percentileCurves(r), href: `${name}/report.html` };
      }),
    );
    const file = path.join(dir, 'compare.html');
    writeFileSync(file, renderComparePage(runs));
    const { page, errors } = await open(file);
    expect(errors).toEqual([]);
    expect((await drawnCanvases(page)).every(Boolean)).toBe(true);
    expect(await page.locator('table.compare thead th').allInnerTexts()).toEqual(['', 'kafka', 'rabbitmq', 'nats']);
    const p99 = page.locator('table.compare tr', { hasText: 'e2e p99 (ms)' }).locator('td.best');
    expect(await p99.innerText()).toBe('10');
    expect(await page.locator('table.compare tr', { hasText: 'e2e p99 (ms)' }).locator('td').last().innerText()).toBe('12 (+20%)');
    await page.close();
  });
});
