// `faultline capacity` and `faultline compare`: one scenario against several targets in turn (one
// comparison page), and the highest rate a target sustains under an e2e p99 bound.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { findCapacity, type CapacityStep } from '../../capacity.js';
import { compareRuns } from '../../compare.js';
import { EXIT, ScenarioError } from '../../errors.js';
import { loadScenarioFile } from '../../scenario/load.js';
import { utcStamp } from '../../timestamp.js';
import { parseDuration, parseRate } from '../../units.js';
import { abortOnSignals, collect, common, Output, type CommonFlags } from '../output.js';
import { progressPrinter } from '../progress.js';

interface CapacityFlags extends CommonFlags {
  p99: string;
  step: string;
  hold: string;
  start: string;
  max: string;
  set: string[];
  out?: string;
}

function searchFlags(cmd: Command, prefix = ''): Command {
  return cmd
    .addOption(new Option('--p99 <duration>', `${prefix}e2e p99 bound`).default('250ms'))
    .addOption(new Option('--step <duration>', `${prefix}length of each search step`).default('5s'))
    .addOption(new Option('--hold <duration>', `${prefix}length of the confirming hold`).default('15s'))
    .addOption(new Option('--start <rate>', `${prefix}first rate tried`).default('1k/s'))
    .addOption(new Option('--max <rate>', `${prefix}highest rate tried`).default('1000k/s'));
}

/** The search's flags, shared by `capacity` and `compare --capacity`. */
function capacityOptions(o: CapacityFlags) {
  const num = (v: string, parse: (x: string) => number | undefined, what: string) => {
    const n = parse(v);
    if (n === undefined) throw new ScenarioError(`${what} expects ${parse === parseRate ? 'a rate like 5k/s' : 'a duration like 5s'}, found '${v}'`);
    return n;
  };
  return { p99Ms: num(o.p99, parseDuration, '--p99'), stepMs: num(o.step, parseDuration, '--step'), holdMs: num(o.hold, parseDuration, '--hold'), startRate: num(o.start, parseRate, '--start'), maxRate: num(o.max, parseRate, '--max') };
}

const stepLine = (s: CapacityStep) => `${s.kind.padEnd(8)} ${String(s.rate).padStart(9)}/s  ${s.passed ? 'sustained' : 'NOT sustained'}  acked ${Math.round(s.ackedPerSec)}/s delivered ${Math.round(s.deliveredPerSec)}/s e2e p99 ${s.e2eP99} ms${s.why ? `  (${s.why})` : ''}`;

export function registerCapacity(program: Command): void {
  const cmd = program
    .command('capacity')
    .description('find the highest rate the target sustains with e2e p99 under a bound (stepped search, then a hold)')
    .argument('<file>', 'scenario file (its workload shape is used; rate, duration, faults and gates are the search’s)')
    .option('-t, --target <name>', 'the target to measure')
    .option('-s, --set <path=value>', 'override a field (repeatable)', collect, []);
  common(searchFlags(cmd), 'print capacity.json to stdout', 'parent folder of the capacity folder (default: the scenario’s report.out)').action(async (file: string, o: CapacityFlags & { target?: string }) => {
    const out = new Output(o);
    const { scenario } = loadScenarioFile(file, { set: o.set });
    const controller = abortOnSignals();
    const found = await findCapacity(scenario, { ...capacityOptions(o), target: o.target, signal: controller.signal, onStep: (s) => out.note(stepLine(s)) });
    const dir = path.join(o.out ?? scenario.report.out, `capacity-${scenario.name}-${utcStamp(new Date())}`);
    mkdirSync(dir, { recursive: true });
    const report = { scenario: scenario.name, target: o.target ?? Object.keys(scenario.targets)[0], ...found };
    writeFileSync(path.join(dir, 'capacity.json'), JSON.stringify(report, null, 2));
    out.answer(found.rate === null ? `no rate from ${o.start} up was sustained with e2e p99 < ${o.p99}` : `capacity: ${found.rate}/s${found.capped ? ` or more (the search stopped at --max ${o.max})` : ''} with e2e p99 < ${o.p99}  (${path.join(dir, 'capacity.json')})`, report);
    if (controller.signal.aborted) process.exitCode = EXIT.interrupted;
  });
}

export function registerCompare(program: Command): void {
  const cmd = program
    .command('compare')
    .description('run one scenario against several targets in turn and write one comparison page')
    .argument('<file>', 'scenario file with several targets')
    .option('--targets <names>', 'comma-separated targets (default: all of the scenario’s)')
    .option('-s, --set <path=value>', 'override a field (repeatable)', collect, [])
    .option('--capacity', 'compare by sustainable throughput: a capacity search per target under --p99, the confirming holds side by side');
  common(searchFlags(cmd, 'with --capacity: '), 'print the comparison (page, per-target lines) as JSON', 'parent folder of the comparison folder').action(async (file: string, o: CapacityFlags & { targets?: string; capacity?: boolean }) => {
    const out = new Output(o);
    const { scenario } = loadScenarioFile(file, { set: o.set });
    const targets = o.targets
      ? o.targets
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean)
      : Object.keys(scenario.targets);
    const controller = abortOnSignals();
    const capacity = o.capacity ? { ...capacityOptions(o), onStep: (s: CapacityStep) => out.note(stepLine(s)) } : undefined;
    let progress: ReturnType<typeof progressPrinter> | undefined;
    const outcome = await compareRuns(scenario, targets, {
      out: o.out,
      signal: controller.signal,
      capacity,
      onTarget: (target) => {
        out.note(`${scenario.name} on ${target}${capacity ? `: capacity under e2e p99 ${capacity.p99Ms} ms` : ''}`);
        if (!capacity) progress = progressPrinter(process.stderr, out.quiet);
      },
      onProgress: (p) => progress?.update(p),
      onTargetDone: () => progress?.done(),
    });
    out.answer(`${outcome.summary}\ncomparison page: ${outcome.page}`, outcome);
    process.exitCode = outcome.aborted ? EXIT.interrupted : outcome.allPassed ? EXIT.ok : EXIT.gateFailed;
  });
}
