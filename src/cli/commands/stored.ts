// `faultline check` and `report`: judge a stored run again from its history, and render saved
// results again (several folders: one comparison page).
import path from 'node:path';
import { Option, type Command } from 'commander';
import { recheckRun } from '../../recheck.js';
import { collect, common, exitCodeOf, Output, type CommonFlags } from '../output.js';
import { ombFolders, readResult, reportFolders } from '../report-commands.js';

export function registerStored(program: Command): void {
  const check = program
    .command('check')
    .description('judge a stored run again from its observation history (observations.bin) and rewrite its result.json and reports')
    .argument('<runFolder>', 'a run folder (reports/<run>/)')
    .option('-s, --set <path=value>', 'override a field of the saved scenario, e.g. gates=["lost == 0"] (repeatable)', collect, [])
    .option('--baseline <runFolder>', 'a stored run that `baseline * f` gates compare with');
  common(check, 'print result.json to stdout instead of the summary', 'write result.json and the reports into this folder instead of the run folder').action(async (folder: string, o: CommonFlags & { set: string[]; baseline?: string; out?: string }) => {
    const out = new Output(o);
    const { result, truncated } = await recheckRun(folder, { set: o.set, baseline: o.baseline ? readResult(o.baseline) : undefined, out: o.out });
    if (truncated) out.note('the history ends inside a block (the run was killed while writing): judged up to its last complete block');
    out.result(result, o.out ?? folder);
    process.exitCode = exitCodeOf(result);
  });

  const report = program
    .command('report')
    .description('re-render reports from saved run folders (several folders: one comparison page)')
    .argument('<folders...>', 'run folders with a result.json')
    .addOption(new Option('--format <format>', 'html (and JUnit, Markdown), or omb: OpenMessaging Benchmark result JSON').choices(['html', 'omb']).default('html'));
  common(report, 'print the files written as a JSON array', 'where to write the comparison page (several folders)').action(async (folders: string[], o: CommonFlags & { out?: string; format: 'html' | 'omb' }) => {
    const lines = o.format === 'omb' ? await ombFolders(folders) : await reportFolders(folders, o.out);
    const out = new Output(o);
    out.answer(
      o.quiet ? '' : lines.join('\n'),
      lines.filter((l) => l.startsWith('wrote ')).map((l) => path.resolve(l.slice(6))),
    );
  });
}
