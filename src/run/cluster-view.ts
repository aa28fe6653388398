// The target's cluster as the nemesis sees it: the leader of the run's resource, asked of the adapter
// (5 s at most), named as the cluster's node table names it.
import type { Adapter } from '../adapters/types.js';
import type { Random } from '../clock.js';
import { LOCAL_CLUSTERS, type ClusterName } from '../cluster/local.js';
import type { ClusterView } from '../nemesis/cluster-faults.js';
import { settleWithin } from '../timeout.js';

export function clusterView(cluster: ClusterName, adapter: Adapter, rng: Random): ClusterView {
  return {
    cluster,
    pick: (n) => rng.int(n),
    async leader() {
      if (!adapter.leader) return undefined;
      const id = await settleWithin(5000, adapter.leader());
      // A broker names its nodes its own way: Kafka by node id, NATS by server name, RabbitMQ as
      // rabbit@<address>, Redis's Sentinels by address.
      const host = (n: { address: string }) => n.address.split(':')[0];
      return LOCAL_CLUSTERS[cluster].nodes.find((n) => n.id === id || n.name === id || id === host(n) || (typeof id === 'string' && id.endsWith(`@${host(n)}`)))?.name;
    },
  };
}
