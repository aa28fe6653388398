// Global setup of every test project: the run's temporary files (histories, scenario copies, packed
// tarballs, explore folders) go under one folder of their own, removed when the last project ends, so
// a test that forgets its own cleanup leaves nothing behind in the machine's /tmp. Workers and the CLI
// processes the tests start inherit TMPDIR, which os.tmpdir() reads. Projects of one vitest process
// share the folder (they run side by side).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const shared = globalThis as { faultlineTestTemp?: { root: string; projects: number } };

export function setup(): void {
  shared.faultlineTestTemp ??= { root: mkdtempSync(path.join(os.tmpdir(), 'faultline-tests-')), projects: 0 };
  shared.faultlineTestTemp.projects++;
  process.env.TMPDIR = shared.faultlineTestTemp.root;
}

export function teardown(): void {
  const temp = shared.faultlineTestTemp;
  if (!temp || --temp.projects > 0) return;
  rmSync(temp.root, { recursive: true, force: true });
  shared.faultlineTestTemp = undefined;
}
