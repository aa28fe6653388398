// `faultline explore`: random fault schedules against a scenario's target, and each failure found
// shrunk to the smallest schedule that still fails. Exit 0: nothing failed (or only as the controls
// did); 1: a failure found; 2: bad input; 3: the environment; 130: interrupted (resume with --resume).
import path from 'node:path';
import type { Command } from 'commander';
import { EXIT, ScenarioError } from '../../errors.js';
import { explore } from '../../explore/explore.js';
import { describeSchedule } from '../../explore/schedule.js';
import type { TriedRun } from '../../explore/runner.js';
import { parseDuration } from '../../units.js';
import { abortOnSignals, common, Output, type CommonFlags } from '../output.js';

interface ExploreFlags extends CommonFlags {
  target?: string;
  runs: string;
  budget: string;
  seed?: string;
  out?: string;
  resume?: string;
}

const outcomeLine = (r: TriedRun) => (r.outcome.kind === 'failed' ? `FAILED ${r.outcome.signature}` : r.outcome.kind === 'inconclusive' ? `inconclusive (${r.outcome.why})` : 'passed');

export function registerExplore(program: Command): void {
  const cmd = program
    .command('explore')
    .description('run random fault schedules against the scenario’s target; shrink each failure to the smallest schedule that still fails (minimal.yaml)')
    .argument('[file]', 'scenario file (its targets, load and gates; its explore: section bounds the search)')
    .option('-t, --target <name>', 'the target to explore (default: the scenario’s first)')
    .option('--runs <n>', 'exploration runs, about one in four a control with no faults', '20')
    .option('--budget <duration>', 'stop exploring and shrinking after this long', '30m')
    .option('--seed <n>', 'the generator’s seed (default: the scenario’s)')
    .option('--resume <dir>', 'continue a stopped exploration in its folder');
  common(cmd, 'print explore.json to stdout', 'parent folder of the explore folder (default: the scenario’s report.out)').action(async (file: string | undefined, o: ExploreFlags) => {
    const out = new Output(o);
    const runs = Number(o.runs);
    const budgetMs = parseDuration(o.budget);
    if (!Number.isInteger(runs) || runs < 1) throw new ScenarioError(`--runs expects a whole number of runs (1 or more), found '${o.runs}'`);
    if (budgetMs === undefined || budgetMs <= 0) throw new ScenarioError(`--budget expects a duration like 30m, found '${o.budget}'`);
    if (o.seed !== undefined && !/^-?\d+$/.test(o.seed)) throw new ScenarioError(`--seed expects a whole number, found '${o.seed}'`);
    if (!file && !o.resume) throw new ScenarioError('explore needs a scenario file, or --resume DIR');
    const controller = abortOnSignals();
    const { dir, state } = await explore(file ?? '', {
      target: o.target,
      runs,
      budgetMs,
      seed: o.seed === undefined ? undefined : Number(o.seed),
      out: o.out,
      resume: o.resume,
      signal: controller.signal,
      onRun: (r, of) => out.note(`run ${r.n} ${r.purpose} ${of}: ${describeSchedule(r.schedule)}${r.hit?.length ? ` [hit ${r.hit.join('; ')}]` : ''} → ${outcomeLine(r)} (${(r.durationMs / 1000).toFixed(1)} s)`),
      onStep: (s, f) => out.note(`  shrink ${f.signature}: ${s.what} → ${s.backtrack ? 'backtrack' : s.accepted ? 'accepted' : 'rejected'} (${s.runs} run${s.runs === 1 ? '' : 's'})`),
    });
    const findings = state.findings.filter((f) => !f.background);
    const lines = [
      `explored ${state.runs.length} runs in ${(state.elapsedMs / 1000).toFixed(1)} s: ${findings.length ? `${findings.length} failure${findings.length > 1 ? 's' : ''} found` : 'nothing failed'}${
        state.findings.length > findings.length
          ? ` (background, also in controls: ${state.findings
              .filter((f) => f.background)
              .map((f) => f.signature)
              .join(', ')})`
          : ''
      }`,
      ...findings.map(
        (f) =>
          `  ${f.signature}: ${f.status}${f.minimal ? `; minimal: ${describeSchedule(f.minimal)} (${path.join(dir, f.minimalFile!)})` : ''}${f.confirmed ? `; failed again ${f.confirmed.failed} of ${f.confirmed.runs}, 95 %: ${f.confirmed.interval[0].toFixed(2)}–${f.confirmed.interval[1].toFixed(2)}` : ''}`,
      ),
      `  page: ${path.join(dir, 'explore.html')}`,
    ];
    out.answer(lines.join('\n'), state);
    if (controller.signal.aborted) process.exitCode = EXIT.interrupted;
    else if (findings.length) process.exitCode = EXIT.gateFailed;
  });
}
