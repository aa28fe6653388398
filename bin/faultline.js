#!/usr/bin/env node
// Runs the built CLI (dist/) when installed; from a checkout, runs the TypeScript sources through tsx.
import { existsSync } from 'node:fs';

const src = new URL('../src/cli/main.ts', import.meta.url);
if (existsSync(src)) {
  const { tsImport } = await import('tsx/esm/api');
  const { main } = await tsImport(src.href, import.meta.url);
  await main(process.argv);
} else {
  const { main } = await import('../dist/cli/main.js');
  await main(process.argv);
}
