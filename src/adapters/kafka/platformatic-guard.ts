import { kGetConnection, NetworkError, type Base } from '@platformatic/kafka';

/**
 * A node missing from the client's metadata is a retriable error, never a throw.
 *
 * @platformatic/kafka 1.x looks a node up in its cached metadata (a partition's leader, a group's
 * coordinator) and hands the result to its connection pool unchecked. A killed broker drops out of
 * the metadata seconds after the kill, and until it is back in it, the coordinator a consumer
 * remembers is absent from the metadata the consumer has: the pool then reads `undefined.host`, a
 * TypeError thrown inside a socket callback, which no caller can catch and which ends the process
 * (faultline's run, or the test runner). 2.x checks for it (and needs Node 22); this gives 1.x the
 * same answer: a retriable network error, with the stale metadata dropped so the retry asks the
 * cluster again.
 */
export function guardMissingBrokers<T extends Base>(client: T): T {
  const get = client[kGetConnection].bind(client);
  const guarded: Base[typeof kGetConnection] = (broker, callback) => {
    if (broker?.host != null) return get(broker, callback);
    client.clearMetadata();
    callback(new NetworkError('the broker is not in the client’s cluster metadata (it may be coming back)', { broker }));
  };
  Object.defineProperty(client, kGetConnection, { value: guarded, configurable: true, writable: true });
  return client;
}
