// `faultline run`: one scenario against one target, in this process or split over worker processes,
// with live metrics if asked; prints the summary (or result.json) and exits with what it means.
import type { Command } from 'commander';
import { EnvironmentError, EXIT, ScenarioError } from '../../errors.js';
import { healAllLive } from '../../nemesis/nemesis.js';
import { LiveState } from '../../report/live.js';
import { OtlpPusher } from '../../report/otlp.js';
import { PrometheusExporter } from '../../report/prometheus.js';
import { runFolder, runScenario } from '../../run/index.js';
import { loadScenarioFile } from '../../scenario/load.js';
import { runWorkers } from '../../shard/workers.js';
import { validateScenarioFile } from '../../validate.js';
import { collect, common, exitCodeOf, Output, reportBug, wholeNumber, type CommonFlags } from '../output.js';
import { progressPrinter } from '../progress.js';
import { readResult } from '../report-commands.js';

type MetricsSpec = { kind: 'prometheus'; host: string; port: number } | { kind: 'otlp'; url: string };

interface RunFlags extends CommonFlags {
  target?: string;
  set: string[];
  seed?: number;
  out?: string;
  baseline?: string;
  workers?: number;
  metrics?: MetricsSpec[];
}

/** `prometheus`, `prometheus:9465`, `prometheus:0.0.0.0:9465` or `otlp=http://collector:4318/v1/metrics` (repeatable). */
function parseMetrics(v: string, all: MetricsSpec[] = []): MetricsSpec[] {
  const otlp = /^otlp=(https?:\/\/\S+)$/.exec(v);
  if (otlp) return [...all, { kind: 'otlp', url: otlp[1] }];
  const m = /^prometheus(?::(?:([^:]+):)?(\d{1,5}))?$/.exec(v);
  if (!m) throw new ScenarioError(`--metrics expects prometheus[:[HOST:]PORT] or otlp=URL, e.g. prometheus:9465 or otlp=http://127.0.0.1:4318/v1/metrics, found '${v}'`);
  return [...all, { kind: 'prometheus', host: m[1] ?? '127.0.0.1', port: m[2] ? Number(m[2]) : 9464 }];
}

export function registerRun(program: Command): void {
  const cmd = program
    .command('run')
    .description('run a scenario against one target and write its results')
    .argument('<file>', 'scenario file (YAML)')
    .option('-t, --target <name>', 'the target to run (when the scenario has several)')
    .option('-s, --set <path=value>', 'override a field, e.g. workload.rate=2k/s (repeatable)', collect, [])
    .option('--seed <n>', 'seed for keys, payloads and fault knobs (default: the scenario’s)', (v) => wholeNumber('--seed', v, 0))
    .option('--baseline <runFolder>', 'a stored run that `baseline * f` gates compare with')
    .option('-w, --workers <n>', 'split the run over N worker processes (shards) and merge their histories', (v) => wholeNumber('--workers', v))
    .option('--metrics <spec>', 'live metrics while the run goes on: prometheus[:[HOST:]PORT] serves /metrics (127.0.0.1:9464 by default); otlp=URL pushes to an OTLP/HTTP endpoint every second (repeatable)', parseMetrics);
  common(cmd, 'print result.json to stdout instead of the summary', 'parent folder of the run folder (default: the scenario’s report.out, reports/)').action((file: string, o: RunFlags) => (o.workers && o.workers > 1 ? runSplit(file, o) : runHere(file, o)));
}

async function runHere(file: string, o: RunFlags): Promise<void> {
  const out = new Output(o);
  const { scenario, locate } = loadScenarioFile(file, { set: o.set });
  const metrics = o.metrics ? new LiveState() : undefined;
  const exporters = metrics ? await startExporters(metrics, o.metrics!, out) : [];
  const baseline = o.baseline ? readResult(o.baseline) : undefined;
  const controller = interruptible();
  const progress = progressPrinter(process.stderr, out.quiet);
  const { result, dir, reportError, internalError } = await runScenario(scenario, {
    target: o.target,
    locate,
    seed: o.seed,
    outDir: o.out,
    baseline,
    signal: controller.signal,
    onProgress: progress.update,
    onStart: ({ dir }) => dir && out.note(`writing to ${dir}`),
    metrics,
  });
  for (const e of exporters) await e.close();
  progress.done();
  if (reportError) process.stderr.write(`faultline: result.json is written, but a report could not be: ${reportError}\n`);
  out.result(result, dir);
  if (internalError) reportBug(internalError, dir);
  process.exitCode = exitCodeOf(result);
}

/** Ctrl-C or SIGTERM stops the load, heals and writes partial results; a second one quits at once, still healing. */
function interruptible(): AbortController {
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
  return controller;
}

async function startExporters(metrics: LiveState, specs: MetricsSpec[], out: Output): Promise<{ close(): Promise<void> }[]> {
  const exporters: { close(): Promise<void> }[] = [];
  for (const spec of specs) {
    if (spec.kind === 'otlp') {
      exporters.push(new OtlpPusher(metrics, spec.url));
      out.note(`pushing metrics to ${spec.url}`);
      continue;
    }
    const prometheus = new PrometheusExporter(metrics);
    const url = await prometheus.listen(spec.port, spec.host).catch((err: Error) => {
      throw new EnvironmentError(`--metrics could not listen on ${spec.host}:${spec.port}: ${err.message}`, 'choose another port: --metrics prometheus:9465');
    });
    exporters.push(prometheus);
    out.note(`metrics on ${url}`);
  }
  return exporters;
}

/** --workers N: N shard processes against a store in the run folder, then their histories merged. */
async function runSplit(file: string, o: RunFlags): Promise<void> {
  const out = new Output(o);
  const { scenario } = loadScenarioFile(file, { set: o.set });
  if (o.metrics) throw new ScenarioError('--metrics reports one process’s run: use it without --workers (each shard’s counts are merged only at the end)');
  // Everything a worker would refuse is refused here, before any process starts.
  await validateScenarioFile(file, { set: o.set });
  const { dir } = runFolder(o.out ?? scenario.report.out, scenario.name, new Date());
  const controller = new AbortController();
  process.on('SIGINT', () => controller.abort()).on('SIGTERM', () => controller.abort());
  out.note(`${o.workers} workers, writing to ${dir}`);
  const args = [...o.set.flatMap((x) => ['--set', x]), ...(o.target ? ['--target', o.target] : []), ...(o.seed !== undefined ? ['--seed', String(o.seed)] : [])];
  const { result, failed } = await runWorkers(file, { workers: o.workers!, dir, args, signal: controller.signal });
  if (failed.length) process.stderr.write(`faultline: worker${failed.length > 1 ? 's' : ''} ${failed.join(', ')} failed\n`);
  out.result(result, dir);
  process.exitCode = controller.signal.aborted ? EXIT.interrupted : exitCodeOf(result);
}
