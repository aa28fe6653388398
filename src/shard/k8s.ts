// `faultline k8s`: the manifests that run a scenario as N shards on Kubernetes: the scenario in a
// ConfigMap, a ReadWriteMany volume as the store, an Indexed Job (one pod per shard, its index from
// JOB_COMPLETION_INDEX, a failed index never retried under the same identity) and a merge Job.

export interface K8sOptions {
  /** The scenario's name (DNS-safe names are made from it). */
  name: string;
  /** The scenario file's text, as the ConfigMap holds it. */
  scenarioText: string;
  shards: number;
  image: string;
  storageClass?: string;
  /** Store size requested for the volume. */
  storage?: string;
  /** A folder name per generated run, so two runs never share a store. */
  runName: string;
  /** How long the merge Job waits for every shard to finish. */
  mergeWait?: string;
}

export type Manifest = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> }; [k: string]: unknown };

const dns = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);

export function k8sManifests(o: K8sOptions): Manifest[] {
  const base = `faultline-${dns(o.name)}`;
  const labels = { 'app.kubernetes.io/name': 'faultline', 'faultline/scenario': dns(o.name) };
  const store = `/store/${o.runName}`;
  const volumes = [
    { name: 'scenario', configMap: { name: `${base}-scenario` } },
    { name: 'store', persistentVolumeClaim: { claimName: `${base}-store` } },
  ];
  const volumeMounts = [
    { name: 'scenario', mountPath: '/scenario', readOnly: true },
    { name: 'store', mountPath: '/store' },
  ];
  const container = (name: string, args: string[]) => ({ name, image: o.image, args, volumeMounts, resources: { requests: { cpu: '1', memory: '512Mi' }, limits: { memory: '2Gi' } } });
  return [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${base}-scenario`, labels }, data: { 'scenario.yaml': o.scenarioText } },
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: `${base}-store`, labels },
      spec: { accessModes: ['ReadWriteMany'], resources: { requests: { storage: o.storage ?? '5Gi' } }, ...(o.storageClass ? { storageClassName: o.storageClass } : {}) },
    },
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: `${base}-shards`, labels },
      spec: {
        completionMode: 'Indexed',
        completions: o.shards,
        parallelism: o.shards,
        // A failed shard is not retried under the same index: its partial history stays for the merge to name.
        backoffLimitPerIndex: 0,
        template: {
          metadata: { labels },
          spec: { restartPolicy: 'Never', volumes, containers: [container('shard', ['shard', '/scenario/scenario.yaml', '--count', String(o.shards), '--store', store])] },
        },
      },
    },
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: `${base}-merge`, labels },
      spec: {
        backoffLimit: 0,
        template: {
          metadata: { labels },
          spec: { restartPolicy: 'Never', volumes, containers: [container('merge', ['merge', store, '--out', `${store}/result`, '--count', String(o.shards), '--wait', o.mergeWait ?? '2h'])] },
        },
      },
    },
  ];
}
