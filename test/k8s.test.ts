// Needs: nothing but Node. `faultline k8s` prints manifests that validate against the Kubernetes API
// schemas (kubernetes-models, offline: there is no cluster here) and describe an Indexed Job of shards.
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { cli } from './helpers/cli.js';

const MODELS = { ConfigMap, PersistentVolumeClaim, Job } as const;

describe('faultline k8s', () => {
  it('prints a ConfigMap, a ReadWriteMany claim, an Indexed Job of 4 shards and a merge Job, each valid', async () => {
    const r = await cli(['k8s', 'scenarios/kafka-baseline.yaml', '--shards', '4', '--image', 'registry.example/faultline:0.1.0', '--storage-class', 'nfs']);
    expect(r.code, r.stderr).toBe(0);
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJS() as { kind: keyof typeof MODELS; metadata: { name: string }; spec?: Record<string, unknown>; data?: Record<string, string> });
    expect(docs.map((d) => d.kind)).toEqual(['ConfigMap', 'PersistentVolumeClaim', 'Job', 'Job']);
    for (const d of docs) expect(() => new MODELS[d.kind](d as never).validate(), `${d.kind} ${d.metadata.name}`).not.toThrow();
    const [config, claim, shards, merge] = docs as [
      (typeof docs)[0],
      { spec: { accessModes: string[]; storageClassName: string } },
      { spec: { completionMode: string; completions: number; parallelism: number; backoffLimitPerIndex: number; template: { spec: { containers: { image: string; args: string[] }[] } } } },
      { spec: { template: { spec: { containers: { args: string[] }[] } } } },
    ];
    expect(config.data!['scenario.yaml']).toContain('name: kafka-baseline');
    expect(claim.spec).toMatchObject({ accessModes: ['ReadWriteMany'], storageClassName: 'nfs' });
    expect(shards.spec).toMatchObject({ completionMode: 'Indexed', completions: 4, parallelism: 4, backoffLimitPerIndex: 0 });
    const shardArgs = shards.spec.template.spec.containers[0].args;
    expect(shards.spec.template.spec.containers[0].image).toBe('registry.example/faultline:0.1.0');
    expect(shardArgs.slice(0, 4)).toEqual(['shard', '/scenario/scenario.yaml', '--count', '4']);
    const store = shardArgs[shardArgs.indexOf('--store') + 1];
    expect(merge.spec.template.spec.containers[0].args).toEqual(['merge', store, '--out', `${store}/result`, '--count', '4', '--wait', '2h']);
  });
});
