#!/usr/bin/env node
// Runs the built CLI (dist/) whenever it exists: an installed package has only that. A checkout
// without a build runs the TypeScript sources through tsx (a dev dependency); after `npm run build`
// in a checkout, `rm -rf dist` goes back to the sources.
import { existsSync } from 'node:fs';

const built = new URL('../dist/cli/main.js', import.meta.url);
if (existsSync(built)) {
  const { main } = await import(built.href);
  await main(process.argv);
} else {
  const { tsImport } = await import('tsx/esm/api');
  const { main } = await tsImport(new URL('../src/cli/main.ts', import.meta.url).href, import.meta.url);
  await main(process.argv);
}
