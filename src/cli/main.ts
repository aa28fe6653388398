// The faultline command line: parses, calls the library, prints, and decides the exit code. No logic.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { findCapacity, type CapacityStep } from '../capacity.js';
import { tuneHeapForLoad } from '../heap.js';
import { parseDuration, parseRate } from '../units.js';
import { adapters } from '../adapters/registry.js';
import { EnvironmentError, EXIT, isFaultlineError, ScenarioError } from '../errors.js';
import { runFolder, runScenario, runShard } from '../run/index.js';
import { mergeShards } from '../shard/merge.js';
import { ShardStore } from '../shard/store.js';
import { runWorkers } from '../shard/workers.js';
import { k8sManifests } from '../shard/k8s.js';
import { stringify as stringifyYaml } from 'yaml';
import { recheckRun } from '../recheck.js';
import { validateScenarioFile } from '../validate.js';
import { healAllProxies, healRunFolder } from '../nemesis/heal.js';
import { healAllLive } from '../nemesis/nemesis.js';
import { loadScenarioFile } from '../scenario/load.js';
import { resultJsonSchema, scenarioJsonSchema } from '../scenario/json-schema.js';
import { renderSummary } from '../report/console.js';
import { PrometheusExporter } from '../report/prometheus.js';
import { OtlpPusher } from '../report/otlp.js';
import { LiveState } from '../report/live.js';
import { VERSION } from '../version.js';
import type { RunResult } from '../result.js';
import { inert, maskText } from '../mask.js';
import { progressPrinter } from './progress.js';
import { ombFolders, readResult, reportFolders } from './report-commands.js';
import { compareRuns } from '../compare.js';

const collect = (v: string, prev: string[]) => [...prev, v];

function fail(err: unknown): never {
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
function reportBug(err: unknown, dir?: string | null): void {
  process.stderr.write(`faultline: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
  process.stderr.write(`faultline: this is a bug in faultline, not in your scenario or broker: please open an issue in faultline's repository${dir ? ` with the run folder ${dir}` : ' with the scenario and the command'}\n`);
}

/** The exit code a result means: a failed or unknown verdict 1, a broken environment 3, a bug 4. */
export function exitCodeOf(r: RunResult): number {
  if (r.status === 'passed') return EXIT.ok;
  if (r.status === 'aborted') return EXIT.interrupted;
  if (r.status === 'error') return r.errorCode === 'INTERNAL' ? EXIT.internal : EXIT.environment;
  return EXIT.gateFailed;
}

type MetricsSpec = { kind: 'prometheus'; host: string; port: number } | { kind: 'otlp'; url: string };

/** `prometheus`, `prometheus:9465`, `prometheus:0.0.0.0:9465` or `otlp=http://collector:4318/v1/metrics` (repeatable). */
function parseMetrics(v: string, all: MetricsSpec[] = []): MetricsSpec[] {
  const otlp = /^otlp=(https?:\/\/\S+)$/.exec(v);
  if (otlp) return [...all, { kind: 'otlp', url: otlp[1] }];
  const m = /^prometheus(?::(?:([^:]+):)?(\d{1,5}))?$/.exec(v);
  if (!m) throw new ScenarioError(`--metrics expects prometheus[:[HOST:]PORT] or otlp=URL, e.g. prometheus:9465 or otlp=http://127.0.0.1:4318/v1/metrics, found '${v}'`);
  return [...all, { kind: 'prometheus', host: m[1] ?? '127.0.0.1', port: m[2] ? Number(m[2]) : 9464 }];
}

export function buildProgram(): Command {
  const program = new Command('faultline').description('Chaos and load testing for event systems').version(VERSION, '-V, --version').showHelpAfterError();

  program
    .command('run')
    .description('run a scenario against one target and write its results')
    .argument('<file>', 'scenario file (YAML)')
    .option('-t, --target <name>', 'the target to run (when the scenario has several)')
    .option('-s, --set <path=value>', 'override a field, e.g. workload.rate=2k/s (repeatable)', collect, [])
    .option('--seed <n>', 'seed for keys, payloads and fault knobs (default: the scenario’s)', (v) => {
      if (!/^\d+$/.test(v)) throw new ScenarioError(`--seed expects a whole number, found '${v}'`);
      return Number(v);
    })
    .option('-o, --out <dir>', 'parent folder of the run folder (default: the scenario’s report.out, reports/)')
    .option('-q, --quiet', 'no live progress')
    .option('--json', 'print result.json to stdout instead of the summary')
    .option('--baseline <runFolder>', 'a stored run that `baseline * f` gates compare with')
    .option('-w, --workers <n>', 'split the run over N worker processes (shards) and merge their histories', (v) => {
      if (!/^[1-9]\d*$/.test(v)) throw new ScenarioError(`--workers expects a whole number from 1, found '${v}'`);
      return Number(v);
    })
    .option('--metrics <spec>', 'live metrics while the run goes on: prometheus[:[HOST:]PORT] serves /metrics (127.0.0.1:9464 by default); otlp=URL pushes to an OTLP/HTTP endpoint every second (repeatable)', parseMetrics)
    .action(async (file: string, o: { target?: string; set: string[]; seed?: number; out?: string; quiet?: boolean; json?: boolean; baseline?: string; workers?: number; metrics?: MetricsSpec[] }) => {
      const { scenario, locate } = loadScenarioFile(file, { set: o.set });
      if (o.metrics && o.workers && o.workers > 1) throw new ScenarioError('--metrics reports one process’s run: use it without --workers (each shard’s counts are merged only at the end)');
      const metrics = o.metrics ? new LiveState() : undefined;
      const exporters: { close(): Promise<void> }[] = [];
      for (const spec of o.metrics ?? []) {
        if (spec.kind === 'otlp') {
          exporters.push(new OtlpPusher(metrics!, spec.url));
          if (!o.json) process.stderr.write(`faultline: pushing metrics to ${spec.url}\n`);
          continue;
        }
        const prometheus = new PrometheusExporter(metrics!);
        const url = await prometheus.listen(spec.port, spec.host).catch((err: Error) => {
          throw new EnvironmentError(`--metrics could not listen on ${spec.host}:${spec.port}: ${err.message}`, 'choose another port: --metrics prometheus:9465');
        });
        exporters.push(prometheus);
        if (!o.json) process.stderr.write(`faultline: metrics on ${url}\n`);
      }
      if (o.workers && o.workers > 1) {
        // Everything a worker would refuse is refused here, before any process starts.
        await validateScenarioFile(file, { set: o.set });
        const { dir } = runFolder(o.out ?? scenario.report.out, scenario.name, new Date());
        const controller = new AbortController();
        process.on('SIGINT', () => controller.abort()).on('SIGTERM', () => controller.abort());
        if (!o.quiet && !o.json) process.stderr.write(`faultline: ${o.workers} workers, writing to ${dir}\n`);
        const args = [...o.set.flatMap((x) => ['--set', x]), ...(o.target ? ['--target', o.target] : []), ...(o.seed !== undefined ? ['--seed', String(o.seed)] : [])];
        const { result, failed } = await runWorkers(file, { workers: o.workers, dir, args, signal: controller.signal });
        if (failed.length) process.stderr.write(`faultline: worker${failed.length > 1 ? 's' : ''} ${failed.join(', ')} failed\n`);
        if (o.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
        else process.stdout.write(renderSummary(result, { color: process.stdout.isTTY, dir }) + '\n');
        process.exitCode = controller.signal.aborted ? EXIT.interrupted : exitCodeOf(result);
        return;
      }
      const baseline = o.baseline ? readResult(o.baseline) : undefined;
      const controller = new AbortController();
      let signals = 0;
      const onSignal = (sig: NodeJS.Signals) => {
        if (++signals > 1) {
          // Quit now, but never with a fault applied: heal what is live (each heal has its own timeout).
          process.stderr.write(`\nfaultline: ${sig} again: healing live faults and quitting without results\n`);
          void healAllLive().finally(() => process.exit(EXIT.interrupted));
          return;
        }
        process.stderr.write(`\nfaultline: ${sig}: stopping the load, healing faults, writing partial results (again to quit now)\n`);
        controller.abort();
      };
      process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
      const progress = progressPrinter(process.stderr, !!o.quiet || !!o.json);
      const { result, dir, reportError, internalError } = await runScenario(scenario, {
        target: o.target,
        locate,
        seed: o.seed,
        outDir: o.out,
        baseline,
        signal: controller.signal,
        onProgress: progress.update,
        onStart: ({ dir }) => !o.quiet && !o.json && dir && process.stderr.write(`faultline: writing to ${dir}\n`),
        metrics,
      });
      for (const e of exporters) await e.close();
      progress.done();
      if (reportError) process.stderr.write(`faultline: result.json is written, but a report could not be: ${reportError}\n`);
      if (o.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
      else process.stdout.write(renderSummary(result, { color: process.stdout.isTTY, dir }) + '\n');
      if (internalError) reportBug(internalError, dir);
      process.exitCode = exitCodeOf(result);
    });

  program
    .command('compare')
    .description('run one scenario against several targets in turn and write one comparison page')
    .argument('<file>', 'scenario file with several targets')
    .option('--targets <names>', 'comma-separated targets (default: all of the scenario’s)')
    .option('-s, --set <path=value>', 'override a field (repeatable)', collect, [])
    .option('-o, --out <dir>', 'parent folder of the run folders', undefined)
    .option('-q, --quiet', 'no live progress')
    .option('--capacity', 'compare by sustainable throughput: a capacity search per target under --p99, the confirming holds side by side')
    .addOption(new Option('--p99 <duration>', 'with --capacity: e2e p99 bound').default('250ms'))
    .addOption(new Option('--step <duration>', 'with --capacity: length of each search step').default('5s'))
    .addOption(new Option('--hold <duration>', 'with --capacity: length of the confirming hold').default('15s'))
    .addOption(new Option('--start <rate>', 'with --capacity: first rate tried').default('1k/s'))
    .addOption(new Option('--max <rate>', 'with --capacity: highest rate tried').default('1000k/s'))
    .action(async (file: string, o: CapacityFlags & { targets?: string; set: string[]; out?: string; quiet?: boolean; capacity?: boolean }) => {
      const { scenario } = loadScenarioFile(file, { set: o.set });
      const targets = o.targets ? o.targets.split(',').map((t) => t.trim()).filter(Boolean) : Object.keys(scenario.targets);
      const controller = new AbortController();
      process.on('SIGINT', () => controller.abort()).on('SIGTERM', () => controller.abort());
      const capacity = o.capacity ? { ...capacityOptions(o), onStep: o.quiet ? undefined : printStep } : undefined;
      let progress: ReturnType<typeof progressPrinter> | undefined;
      const outcome = await compareRuns(scenario, targets, {
        out: o.out,
        signal: controller.signal,
        capacity,
        onTarget: (target) => {
          if (!o.quiet) process.stderr.write(`faultline: ${scenario.name} on ${target}${capacity ? `: capacity under e2e p99 ${capacity.p99Ms} ms` : ''}\n`);
          if (!capacity) progress = progressPrinter(process.stderr, !!o.quiet);
        },
        onProgress: (p) => progress?.update(p),
        onTargetDone: () => progress?.done(),
      });
      process.stdout.write(`${outcome.summary}\ncomparison page: ${outcome.page}\n`);
      process.exitCode = outcome.aborted ? EXIT.interrupted : outcome.allPassed ? EXIT.ok : EXIT.gateFailed;
    });

  program
    .command('shard')
    .description('run one shard of a split run against a shared store (the building block of --workers and Kubernetes Indexed Jobs)')
    .argument('<file>', 'scenario file (YAML)')
    .option('-i, --index <i>', 'this shard’s index (default: $JOB_COMPLETION_INDEX)')
    .requiredOption('-n, --count <n>', 'how many shards the run has')
    .requiredOption('--store <dir>', 'a directory every shard can write (a ReadWriteMany volume on Kubernetes)')
    .option('-t, --target <name>', 'the target to run')
    .option('-s, --set <path=value>', 'override a field (repeatable)', collect, [])
    .option('--seed <n>', 'seed (default: the scenario’s)')
    .action(async (file: string, o: { index?: string; count: string; store: string; target?: string; set: string[]; seed?: string }) => {
      const index = Number(o.index ?? process.env.JOB_COMPLETION_INDEX);
      const count = Number(o.count);
      if (!Number.isInteger(count) || count < 1) throw new ScenarioError(`--count expects a whole number from 1, found '${o.count}'`);
      if (!Number.isInteger(index) || index < 0 || index >= count) throw new ScenarioError(`--index (or JOB_COMPLETION_INDEX) must be a whole number below --count ${count}, found '${o.index ?? process.env.JOB_COMPLETION_INDEX ?? ''}'`);
      const { scenario, locate } = loadScenarioFile(file, { set: o.set });
      const controller = new AbortController();
      process.on('SIGINT', () => controller.abort()).on('SIGTERM', () => controller.abort());
      const { end, internalError, dir } = await runShard(scenario, { store: new ShardStore(o.store, index, count), target: o.target, locate, seed: o.seed === undefined ? undefined : Number(o.seed), signal: controller.signal });
      if (internalError) reportBug(internalError, dir);
      process.stderr.write(`faultline: shard ${index}/${count}: ${end.status}${end.error ? `: ${inert(maskText(end.error))}` : ''} (${dir})\n`);
      process.exitCode = end.status === 'aborted' ? EXIT.interrupted : end.status === 'error' ? (end.errorCode === 'INTERNAL' ? EXIT.internal : EXIT.environment) : EXIT.ok;
    });

  program
    .command('merge')
    .description('join the shards’ histories in a store and judge them as one run')
    .argument('<store>', 'the store the shards wrote')
    .requiredOption('-o, --out <runFolder>', 'the run folder to write (result.json and reports)')
    .option('-n, --count <n>', 'shards expected (default: what the store says)')
    .option('--wait <duration>', 'with --count: wait up to this long for every shard to finish first (a merge Job started beside the shards)')
    .option('--json', 'print result.json to stdout instead of the summary')
    .action(async (store: string, o: { out: string; count?: string; wait?: string; json?: boolean }) => {
      const waitMs = o.wait === undefined ? undefined : parseDuration(o.wait);
      if (o.wait !== undefined && waitMs === undefined) throw new ScenarioError(`--wait expects a duration like 30m, found '${o.wait}'`);
      const result = await mergeShards(store, { out: o.out, count: o.count === undefined ? undefined : Number(o.count), waitMs });
      if (o.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
      else process.stdout.write(renderSummary(result, { color: process.stdout.isTTY, dir: o.out }) + '\n');
      process.exitCode = exitCodeOf(result);
    });

  program
    .command('k8s')
    .description('print Kubernetes manifests that run a scenario as N shards (an Indexed Job) and merge them')
    .argument('<file>', 'scenario file (YAML)')
    .requiredOption('--shards <n>', 'how many shards (pods)')
    .option('--image <image>', 'the faultline image (see Dockerfile)', 'faultline:0.1.0')
    .option('--storage-class <class>', 'a storage class that offers ReadWriteMany volumes')
    .action((file: string, o: { shards: string; image: string; storageClass?: string }) => {
      const shards = Number(o.shards);
      if (!Number.isInteger(shards) || shards < 1) throw new ScenarioError(`--shards expects a whole number from 1, found '${o.shards}'`);
      const { scenario } = loadScenarioFile(file);
      const runName = `${scenario.name}-${new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}`;
      const docs = k8sManifests({ name: scenario.name, scenarioText: readFileSync(file, 'utf8'), shards, image: o.image, storageClass: o.storageClass, runName });
      process.stdout.write(docs.map((d) => stringifyYaml(d, { blockQuote: 'literal', lineWidth: 0, aliasDuplicateObjects: false })).join('---\n'));
    });

  program
    .command('check')
    .description('judge a stored run again from its observation history (observations.bin) and rewrite its result.json and reports')
    .argument('<runFolder>', 'a run folder (reports/<run>/)')
    .option('-s, --set <path=value>', 'override a field of the saved scenario, e.g. gates=["lost == 0"] (repeatable)', collect, [])
    .option('--baseline <runFolder>', 'a stored run that `baseline * f` gates compare with')
    .option('--json', 'print result.json to stdout instead of the summary')
    .action(async (folder: string, o: { set: string[]; baseline?: string; json?: boolean }) => {
      const { result, truncated } = await recheckRun(folder, { set: o.set, baseline: o.baseline ? readResult(o.baseline) : undefined });
      if (truncated) process.stderr.write(`faultline: the history ends inside a block (the run was killed while writing): judged up to its last complete block\n`);
      if (o.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
      else process.stdout.write(renderSummary(result, { color: process.stdout.isTTY, dir: folder }) + '\n');
      process.exitCode = exitCodeOf(result);
    });

  program
    .command('report')
    .description('re-render reports from saved run folders (several folders: one comparison page)')
    .argument('<folders...>', 'run folders with a result.json')
    .option('-o, --out <file>', 'where to write the comparison page (several folders)')
    .addOption(new Option('--format <format>', 'html (and JUnit, Markdown), or omb: OpenMessaging Benchmark result JSON').choices(['html', 'omb']).default('html'))
    .action(async (folders: string[], o: { out?: string; format: 'html' | 'omb' }) => {
      const lines = o.format === 'omb' ? await ombFolders(folders) : await reportFolders(folders, o.out);
      for (const line of lines) process.stdout.write(`${line}\n`);
    });

  program
    .command('capacity')
    .description('find the highest rate the target sustains with e2e p99 under a bound (stepped search, then a hold)')
    .argument('<file>', 'scenario file (its workload shape is used; rate, duration, faults and gates are the search’s)')
    .option('-t, --target <name>', 'the target to measure')
    .option('-s, --set <path=value>', 'override a field (repeatable)', collect, [])
    .addOption(new Option('--p99 <duration>', 'e2e p99 bound').default('250ms'))
    .addOption(new Option('--step <duration>', 'length of each search step').default('5s'))
    .addOption(new Option('--hold <duration>', 'length of the confirming hold').default('15s'))
    .addOption(new Option('--start <rate>', 'first rate tried').default('1k/s'))
    .addOption(new Option('--max <rate>', 'highest rate tried').default('1000k/s'))
    .action(async (file: string, o: CapacityFlags & { target?: string; set: string[] }) => {
      const { scenario } = loadScenarioFile(file, { set: o.set });
      const controller = new AbortController();
      process.on('SIGINT', () => controller.abort()).on('SIGTERM', () => controller.abort());
      const found = await findCapacity(scenario, { ...capacityOptions(o), target: o.target, signal: controller.signal, onStep: printStep });
      const dir = path.join(scenario.report.out, `capacity-${scenario.name}-${new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'capacity.json'), JSON.stringify({ scenario: scenario.name, target: o.target ?? Object.keys(scenario.targets)[0], ...found }, null, 2));
      process.stdout.write(found.rate === null ? `no rate from ${o.start} up was sustained with e2e p99 < ${o.p99}\n` : `capacity: ${found.rate}/s${found.capped ? ` or more (the search stopped at --max ${o.max})` : ''} with e2e p99 < ${o.p99}  (${path.join(dir, 'capacity.json')})\n`);
      if (controller.signal.aborted) process.exitCode = EXIT.interrupted;
    });

  program
    .command('heal')
    .description('undo the faults a run left behind (after kill -9), or reset every Toxiproxy proxy')
    .argument('[runFolder]', 'a run folder (reports/<run>/) with a nemesis.json')
    .option('--all', 'remove every toxic and re-enable every proxy of Toxiproxy')
    .action(async (folder: string | undefined, o: { all?: boolean }) => {
      if (!folder && !o.all) throw new ScenarioError('heal needs a run folder, or --all');
      const report = folder ? await healRunFolder(folder) : await healAllProxies();
      for (const h of report.healed) process.stdout.write(`healed: ${h}\n`);
      for (const f of report.failed) process.stderr.write(`could not heal: ${f}\n`);
      if (report.healed.length === 0 && report.failed.length === 0) process.stdout.write('nothing to heal\n');
      if (report.failed.length) process.exitCode = EXIT.environment;
    });

  program
    .command('validate')
    .description('check scenario files without running them')
    .argument('<files...>', 'scenario files')
    .option('-s, --set <path=value>', 'override a field (repeatable)', collect, [])
    .action(async (files: string[], o: { set: string[] }) => {
      let bad = 0;
      for (const f of files) {
        try {
          await validateScenarioFile(f, { set: o.set });
          process.stdout.write(`ok ${f}\n`);
        } catch (err) {
          if (!(err instanceof ScenarioError)) throw err;
          bad++;
          process.stderr.write(`${inert(err.message)}\n${err.problems.map((p) => `  ${inert(p)}\n`).join('')}`);
        }
      }
      if (bad) process.exitCode = EXIT.usage;
    });

  program
    .command('schema')
    .description('print the JSON Schema of scenario files (or of result.json)')
    .option('--result', 'the schema of result.json instead')
    .action((o: { result?: boolean }) => {
      process.stdout.write(JSON.stringify(o.result ? resultJsonSchema() : scenarioJsonSchema(), null, 2) + '\n');
    });

  program
    .command('adapters')
    .description('list the adapters and what they promise')
    .action(async () => {
      for (const name of Object.keys(adapters) as (keyof typeof adapters)[]) {
        const { capabilities: c } = await adapters[name]();
        process.stdout.write(`${name.padEnd(10)} ordered per key: ${c.orderedPerKey ? 'yes' : 'no '}  producer idempotence: ${c.producerIdempotence ? 'yes' : 'no '}  acks: ${c.ackModes.join(', ')}\n`);
      }
    });

  program.addOption(new Option('--no-color', 'no colours').hideHelp());
  return program;
}

interface CapacityFlags {
  p99: string;
  step: string;
  hold: string;
  start: string;
  max: string;
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

function printStep(s: CapacityStep): void {
  process.stderr.write(`${s.kind.padEnd(8)} ${String(s.rate).padStart(9)}/s  ${s.passed ? 'sustained' : 'NOT sustained'}  acked ${Math.round(s.ackedPerSec)}/s delivered ${Math.round(s.deliveredPerSec)}/s e2e p99 ${s.e2eP99} ms${s.why ? `  (${s.why})` : ''}\n`);
}

/** A bug must not leave a broker broken: heal every live fault, then report the crash. */
function onCrash(err: unknown): void {
  void healAllLive().finally(() => fail(err));
}

export async function main(argv: string[]): Promise<void> {
  tuneHeapForLoad();
  process.on('uncaughtException', onCrash).on('unhandledRejection', onCrash);
  const program = buildProgram();
  program.exitOverride((err) => {
    process.exit(err.exitCode === 0 ? 0 : EXIT.usage);
  });
  try {
    await program.parseAsync(argv);
  } catch (err) {
    fail(err);
  }
  // The command is done and its results are on disk. A client whose close timed out (a broker that
  // stopped answering mid-teardown) may still hold a socket: it must not keep the process alive.
  setTimeout(() => process.exit(), LINGER_MS).unref();
}

/** How long a finished command waits for its last sockets to close before it exits anyway. */
const LINGER_MS = 3000;
