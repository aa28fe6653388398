// `faultline shard`, `merge` and `k8s`: a run split over processes or pods that meet through a
// store, joined and judged as one run; and the Kubernetes manifests that do it with an Indexed Job.
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { stringify as stringifyYaml } from 'yaml';
import { EXIT, ScenarioError } from '../../errors.js';
import { runShard } from '../../run/index.js';
import { loadScenarioFile } from '../../scenario/load.js';
import { k8sManifests } from '../../shard/k8s.js';
import { mergeShards } from '../../shard/merge.js';
import { ShardStore } from '../../shard/store.js';
import { utcStamp } from '../../timestamp.js';
import { parseDuration } from '../../units.js';
import { inert, maskText } from '../../mask.js';
import { abortOnSignals, collect, common, exitCodeOf, Output, reportBug, wholeNumber, type CommonFlags } from '../output.js';

export function registerShards(program: Command): void {
  const shard = program
    .command('shard')
    .description('run one shard of a split run against a shared store (the building block of --workers and Kubernetes Indexed Jobs)')
    .argument('<file>', 'scenario file (YAML)')
    .option('-i, --index <i>', 'this shard’s index (default: $JOB_COMPLETION_INDEX)')
    .requiredOption('-n, --count <n>', 'how many shards the run has')
    .requiredOption('--store <dir>', 'a directory every shard can write (a ReadWriteMany volume on Kubernetes): where it writes')
    .option('-t, --target <name>', 'the target to run')
    .option('-s, --set <path=value>', 'override a field (repeatable)', collect, [])
    .option('--seed <n>', 'seed (default: the scenario’s)');
  common(shard, 'print how the shard ended as JSON').action(async (file: string, o: CommonFlags & { index?: string; count: string; store: string; target?: string; set: string[]; seed?: string }) => {
    const out = new Output(o);
    const count = wholeNumber('--count', o.count);
    const index = Number(o.index ?? process.env.JOB_COMPLETION_INDEX);
    if (!Number.isInteger(index) || index < 0 || index >= count) throw new ScenarioError(`--index (or JOB_COMPLETION_INDEX) must be a whole number below --count ${count}, found '${o.index ?? process.env.JOB_COMPLETION_INDEX ?? ''}'`);
    const { scenario, locate } = loadScenarioFile(file, { set: o.set });
    const controller = abortOnSignals();
    const { end, internalError, dir } = await runShard(scenario, { store: new ShardStore(o.store, index, count), target: o.target, locate, seed: o.seed === undefined ? undefined : wholeNumber('--seed', o.seed, 0), signal: controller.signal });
    if (internalError) reportBug(internalError, dir);
    out.note(`shard ${index}/${count}: ${end.status}${end.error ? `: ${inert(maskText(end.error))}` : ''} (${dir})`);
    out.answer('', { index, count, dir, ...end });
    process.exitCode = end.status === 'aborted' ? EXIT.interrupted : end.status === 'error' ? exitCodeOf(end) : EXIT.ok;
  });

  const merge = program
    .command('merge')
    .description('join the shards’ histories in a store and judge them as one run')
    .argument('<store>', 'the store the shards wrote')
    .option('-n, --count <n>', 'shards expected (default: what the store says)')
    .option('--wait <duration>', 'with --count: wait up to this long for every shard to finish first (a merge Job started beside the shards)');
  common(merge, 'print result.json to stdout instead of the summary', 'the run folder to write (result.json and reports)').action(async (store: string, o: CommonFlags & { out?: string; count?: string; wait?: string }) => {
    if (!o.out) throw new ScenarioError('merge needs --out <runFolder>: where the merged result and reports go');
    const waitMs = o.wait === undefined ? undefined : parseDuration(o.wait);
    if (o.wait !== undefined && waitMs === undefined) throw new ScenarioError(`--wait expects a duration like 30m, found '${o.wait}'`);
    const result = await mergeShards(store, { out: o.out, count: o.count === undefined ? undefined : wholeNumber('--count', o.count), waitMs });
    new Output(o).result(result, o.out);
    process.exitCode = exitCodeOf(result);
  });

  const k8s = program
    .command('k8s')
    .description('print Kubernetes manifests that run a scenario as N shards (an Indexed Job) and merge them')
    .argument('<file>', 'scenario file (YAML)')
    .requiredOption('--shards <n>', 'how many shards (pods)')
    .option('--image <image>', 'the faultline image (see Dockerfile)', 'faultline:0.1.0')
    .option('--storage-class <class>', 'a storage class that offers ReadWriteMany volumes');
  common(k8s, 'print the manifests as a JSON array instead of YAML', 'write the manifests to this file instead of stdout').action((file: string, o: CommonFlags & { shards: string; image: string; storageClass?: string; out?: string }) => {
    const shards = wholeNumber('--shards', o.shards);
    const { scenario } = loadScenarioFile(file);
    const docs = k8sManifests({ name: scenario.name, scenarioText: readFileSync(file, 'utf8'), shards, image: o.image, storageClass: o.storageClass, runName: `${scenario.name}-${utcStamp(new Date())}` });
    const text = o.json ? JSON.stringify(docs, null, 2) + '\n' : docs.map((d) => stringifyYaml(d, { blockQuote: 'literal', lineWidth: 0, aliasDuplicateObjects: false })).join('---\n');
    if (o.out) {
      writeFileSync(o.out, text);
      new Output(o).note(`wrote ${o.out}`);
    } else process.stdout.write(text);
  });
}
