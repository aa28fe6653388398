// What every command shares: how it prints (the answer on stdout, notes on stderr unless --quiet or
// --json), how errors become exit codes, and the flags every command takes.
import type { Command } from 'commander';
import { EXIT, isFaultlineError, ScenarioError } from '../errors.js';
import { inert, maskText } from '../mask.js';
import { renderSummary } from '../report/console.js';
import type { RunResult } from '../result.js';

export const collect = (v: string, prev: string[]) => [...prev, v];

/** The flags every command accepts. */
export interface CommonFlags {
  quiet?: boolean;
  json?: boolean;
}

/** Adds `--quiet` and `--json` (and `--out` where the command writes, with what it means there). */
export function common(cmd: Command, json: string, out?: string): Command {
  cmd.option('-q, --quiet', 'no progress and no notes on stderr (errors still show)').option('--json', json);
  if (out) cmd.option('-o, --out <path>', out);
  return cmd;
}

/** Prints for one command: its answer to stdout, its notes to stderr unless quiet or --json. */
export class Output {
  constructor(private readonly flags: CommonFlags) {}

  get quiet(): boolean {
    return !!this.flags.quiet || !!this.flags.json;
  }

  note(text: string): void {
    if (!this.quiet) process.stderr.write(`faultline: ${text}\n`);
  }

  /** The command's answer: `json` as JSON with --json, else the text (nothing for an empty text). */
  answer(text: string, json: unknown): void {
    if (this.flags.json) process.stdout.write(JSON.stringify(json, null, 2) + '\n');
    else if (text) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** A run's result: the summary, or result.json with --json. */
  result(result: RunResult, dir: string | null): void {
    this.answer(renderSummary(result, { color: process.stdout.isTTY, dir }), result);
  }
}

export function fail(err: unknown): never {
  if (isFaultlineError(err)) {
    // Messages quote scenario text and broker errors: masked, and inert on the terminal.
    const show = (t: string) => inert(maskText(t));
    process.stderr.write(`faultline: ${show(err.message)}\n`);
    for (const p of err instanceof ScenarioError ? err.problems : []) process.stderr.write(`  ${show(p)}\n`);
    if (err.hint) process.stderr.write(`hint: ${show(err.hint)}\n`);
    process.exit(err.exitCode);
  }
  reportBug(err);
  process.exit(EXIT.internal);
}

/** Anything not a FaultlineError is a bug in faultline: show everything, and ask for a report. */
export function reportBug(err: unknown, dir?: string | null): void {
  process.stderr.write(`faultline: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
  process.stderr.write(`faultline: this is a bug in faultline, not in your scenario or broker: please open an issue in faultline's repository${dir ? ` with the run folder ${dir}` : ' with the scenario and the command'}\n`);
}

/** The exit code a result means: a failed or unknown verdict 1, a broken environment 3, a bug 4. */
export function exitCodeOf(r: Pick<RunResult, 'status' | 'errorCode'>): number {
  if (r.status === 'passed') return EXIT.ok;
  if (r.status === 'aborted') return EXIT.interrupted;
  if (r.status === 'error') return r.errorCode === 'INTERNAL' ? EXIT.internal : EXIT.environment;
  return EXIT.gateFailed;
}

/** An AbortController that Ctrl-C and SIGTERM abort. */
export function abortOnSignals(): AbortController {
  const controller = new AbortController();
  process.on('SIGINT', () => controller.abort()).on('SIGTERM', () => controller.abort());
  return controller;
}

/** A whole number from `min`, or a ScenarioError naming the flag. */
export function wholeNumber(flag: string, v: string | undefined, min = 1): number {
  if (v === undefined || !/^\d+$/.test(v) || Number(v) < min) throw new ScenarioError(`${flag} expects a whole number from ${min}, found '${v ?? ''}'`);
  return Number(v);
}
