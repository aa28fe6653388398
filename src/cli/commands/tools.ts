// `faultline validate`, `heal`, `schema` and `adapters`: what a user runs around a run.
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { adapters } from '../../adapters/registry.js';
import { EXIT, ScenarioError } from '../../errors.js';
import { inert } from '../../mask.js';
import { healAllProxies, healRunFolder } from '../../nemesis/heal.js';
import { resultJsonSchema, scenarioJsonSchema } from '../../scenario/json-schema.js';
import { validateScenarioFile } from '../../validate.js';
import { collect, common, Output, type CommonFlags } from '../output.js';

export function registerTools(program: Command): void {
  const validate = program.command('validate').description('check scenario files without running them').argument('<files...>', 'scenario files').option('-s, --set <path=value>', 'override a field (repeatable)', collect, []);
  common(validate, 'print one {file, ok, problems} per file as a JSON array').action(async (files: string[], o: CommonFlags & { set: string[] }) => {
    const out = new Output(o);
    const verdicts: { file: string; ok: boolean; message?: string; problems: string[] }[] = [];
    for (const file of files) {
      try {
        await validateScenarioFile(file, { set: o.set });
        verdicts.push({ file, ok: true, problems: [] });
      } catch (err) {
        if (!(err instanceof ScenarioError)) throw err;
        verdicts.push({ file, ok: false, message: err.message, problems: err.problems });
        if (!o.json) process.stderr.write(`${inert(err.message)}\n${err.problems.map((p) => `  ${inert(p)}\n`).join('')}`);
      }
    }
    out.answer(
      o.quiet
        ? ''
        : verdicts
            .filter((v) => v.ok)
            .map((v) => `ok ${v.file}`)
            .join('\n'),
      verdicts,
    );
    if (verdicts.some((v) => !v.ok)) process.exitCode = EXIT.usage;
  });

  const heal = program.command('heal').description('undo the faults a run left behind (after kill -9), or reset every Toxiproxy proxy').argument('[runFolder]', 'a run folder (reports/<run>/) with a nemesis.json').option('--all', 'remove every toxic and re-enable every proxy of Toxiproxy');
  common(heal, 'print {healed, failed} as JSON').action(async (folder: string | undefined, o: CommonFlags & { all?: boolean }) => {
    if (!folder && !o.all) throw new ScenarioError('heal needs a run folder, or --all');
    const report = folder ? await healRunFolder(folder) : await healAllProxies();
    for (const f of report.failed) if (!o.json) process.stderr.write(`could not heal: ${f}\n`);
    const lines = report.healed.map((h) => `healed: ${h}`);
    new Output(o).answer(o.quiet ? '' : lines.length || report.failed.length ? lines.join('\n') : 'nothing to heal', report);
    if (report.failed.length) process.exitCode = EXIT.environment;
  });

  const schema = program.command('schema').description('print the JSON Schema of scenario files (or of result.json)').option('--result', 'the schema of result.json instead');
  common(schema, 'JSON (the only form: accepted for symmetry)', 'write the schema to this file instead of stdout').action((o: CommonFlags & { result?: boolean; out?: string }) => {
    const text = JSON.stringify(o.result ? resultJsonSchema() : scenarioJsonSchema(), null, 2) + '\n';
    if (o.out) writeFileSync(o.out, text);
    else process.stdout.write(text);
  });

  const list = program.command('adapters').description('list the adapters and what they promise');
  common(list, 'print the adapters and their capabilities as JSON').action(async (o: CommonFlags) => {
    const all: { name: string; orderedPerKey: boolean; producerIdempotence: boolean; ackModes: readonly string[] }[] = [];
    for (const name of Object.keys(adapters) as (keyof typeof adapters)[]) all.push({ name, ...(await adapters[name]()).capabilities });
    const line = (c: (typeof all)[number]) => `${c.name.padEnd(10)} ordered per key: ${c.orderedPerKey ? 'yes' : 'no '}  producer idempotence: ${c.producerIdempotence ? 'yes' : 'no '}  acks: ${c.ackModes.join(', ')}`;
    new Output(o).answer(all.map(line).join('\n'), all);
  });
}
