// The local clusters of scripts/cluster.sh: their nodes, addresses and Toxiproxy proxies, and the
// script's commands faultline's nemesis runs (node kills, partition rules).
import { PORTS } from '../ports.js';
import { fileURLToPath } from 'node:url';
import { runCommand } from '../process.js';

const CLUSTER_SH = fileURLToPath(new URL('../../scripts/cluster.sh', import.meta.url));

export interface ClusterNode {
  name: string;
  /** The broker's node id (Kafka node.id). */
  id: number;
  /** Inside the node's network namespace, reached through the router. */
  address: string;
  /** 127.0.0.1 port of the node's Toxiproxy proxy (client-side faults). */
  proxied: string;
  proxy: string;
}

export interface LocalCluster {
  /** The name scripts/cluster.sh knows it by. */
  script: string;
  adapter: string;
  nodes: ClusterNode[];
}

/** Node i of a cluster of scripts/cluster.sh, from the port table: 198.18.(subnet+i).2, its proxy on 127.0.0.1:proxyBase+i. */
const nodes = (cluster: keyof typeof PORTS.clusters): ClusterNode[] => {
  const { subnet, clientPort, proxyBase } = PORTS.clusters[cluster];
  return [1, 2, 3].map((i) => ({ name: `n${i}`, id: i, address: `198.18.${subnet + i}.2:${clientPort}`, proxied: `127.0.0.1:${proxyBase + i}`, proxy: `${cluster}3-n${i}` }));
};

/** The clusters of scripts/cluster.sh; test/clusters.test.ts compares them with its status. */
export const LOCAL_CLUSTERS = {
  kafka3: { script: 'kafka', adapter: 'kafka', nodes: nodes('kafka') },
  nats3: { script: 'nats', adapter: 'nats', nodes: nodes('nats') },
  rabbitmq3: { script: 'rabbitmq', adapter: 'rabbitmq', nodes: nodes('rabbitmq') },
  /** A primary and 2 replicas, a Sentinel on each node (port 26379, master name faultline). */
  redis3: { script: 'redis', adapter: 'redis', nodes: nodes('redis') },
} as const satisfies Record<string, LocalCluster>;
export type ClusterName = keyof typeof LOCAL_CLUSTERS;
export const CLUSTER_NAMES = Object.keys(LOCAL_CLUSTERS) as ClusterName[];

/** The local clusters an adapter can run against (for its target's `cluster:` enum). */
export const clustersOf = (adapter: string) => CLUSTER_NAMES.filter((c) => LOCAL_CLUSTERS[c].adapter === adapter) as [ClusterName, ...ClusterName[]];

/** The addresses of a cluster's nodes, for a target that names it. */
export const clusterAddresses = (c: ClusterName): string[] => LOCAL_CLUSTERS[c].nodes.map((n) => n.address);

/** Node selectors a fault may name: a node by name, or a role found when the fault starts. */
export const NODE_ROLES = ['leader', 'followers', 'random-node'] as const;

export async function clusterSh(...args: string[]): Promise<string> {
  return runCommand('bash', [CLUSTER_SH, ...args], { what: `scripts/cluster.sh ${args.join(' ')}` });
}

/** The partition rules now in the router, one line each (empty when the network is down). */
export async function routerRules(): Promise<string[]> {
  return (await clusterSh('rules')).split('\n').filter(Boolean);
}
