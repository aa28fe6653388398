// Every command speaks the same flags: --quiet and --json everywhere, --out wherever it writes.
import { describe, expect, it } from 'vitest';
import { buildProgram } from './main.js';

const WRITERS = ['run', 'compare', 'capacity', 'explore', 'merge', 'check', 'report', 'k8s', 'schema'];

describe('the command line', () => {
  it('every command accepts --quiet and --json, and --out where it writes', () => {
    const commands = buildProgram().commands;
    expect(commands.map((c) => c.name()).sort()).toEqual(['adapters', 'capacity', 'check', 'compare', 'explore', 'heal', 'k8s', 'merge', 'report', 'run', 'schema', 'shard', 'validate']);
    for (const c of commands) {
      const flags = c.options.map((o) => o.long);
      expect(flags, c.name()).toEqual(expect.arrayContaining(['--quiet', '--json', ...(WRITERS.includes(c.name()) ? ['--out'] : [])]));
    }
  });
});
