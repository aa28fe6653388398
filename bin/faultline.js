#!/usr/bin/env node
// Runs the TypeScript sources through tsx (a dev dependency) in a checkout, and the built CLI (dist/)
// in an installed package, which has no sources: a stale build never stands in for the sources.
// FAULTLINE_DIST=1 runs dist/ in a checkout too (after `npm run build`).
import { existsSync } from 'node:fs';

const built = new URL('../dist/cli/main.js', import.meta.url);
const sources = new URL('../src/cli/main.ts', import.meta.url);
if (existsSync(built) && (!existsSync(sources) || process.env.FAULTLINE_DIST === '1')) {
  const { main } = await import(built.href);
  await main(process.argv);
} else {
  const { tsImport } = await import('tsx/esm/api');
  const { main } = await tsImport(sources.href, import.meta.url);
  await main(process.argv);
}
