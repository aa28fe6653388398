// What RabbitMQ PerfTest does with `-x P -y 0 --confirm W -s SIZE -C N -f persistent` (publish only, a
// window of W unconfirmed messages per producer), on the official Java client: the native side of
// bench/native.ts for RabbitMQ, run by bench/run.sh with `java -cp <amqp-client jars> RabbitPublish.java`.
// Args: uri queue producers messagesPerProducer size window. Prints "rate <msgs/s>".
import com.rabbitmq.client.*;
import java.util.concurrent.*;

public class RabbitPublish {
  public static void main(String[] a) throws Exception {
    String uri = a[0], queue = a[1];
    int producers = Integer.parseInt(a[2]), count = Integer.parseInt(a[3]), size = Integer.parseInt(a[4]), window = Integer.parseInt(a[5]);
    ConnectionFactory f = new ConnectionFactory();
    f.setUri(uri);
    try (Connection admin = f.newConnection(); Channel ch = admin.createChannel()) {
      ch.queueDeclare(queue, true, false, false, null);
    }
    byte[] body = new byte[size];
    ExecutorService pool = Executors.newFixedThreadPool(producers);
    long t0 = System.nanoTime();
    java.util.List<Future<?>> done = new java.util.ArrayList<>();
    for (int p = 0; p < producers; p++) done.add(pool.submit(() -> {
      try (Connection c = f.newConnection(); Channel ch = c.createChannel()) {
        ch.confirmSelect();
        Semaphore outstanding = new Semaphore(window);
        ConcurrentSkipListSet<Long> pending = new ConcurrentSkipListSet<>();
        ch.addConfirmListener((tag, multiple) -> release(pending, outstanding, tag, multiple), (tag, multiple) -> release(pending, outstanding, tag, multiple));
        AMQP.BasicProperties props = MessageProperties.PERSISTENT_BASIC;
        for (int i = 0; i < count; i++) {
          outstanding.acquire();
          pending.add(ch.getNextPublishSeqNo());
          ch.basicPublish("", queue, props, body);
        }
        ch.waitForConfirmsOrDie(60_000);
      }
      return null;
    }));
    for (Future<?> d : done) d.get();
    double s = (System.nanoTime() - t0) / 1e9;
    pool.shutdown();
    try (Connection admin = f.newConnection(); Channel ch = admin.createChannel()) {
      ch.queueDelete(queue);
    }
    System.out.printf("rate %.0f%n", producers * (double) count / s);
  }

  static void release(ConcurrentSkipListSet<Long> pending, Semaphore outstanding, long tag, boolean multiple) {
    if (multiple) {
      java.util.NavigableSet<Long> head = pending.headSet(tag, true);
      int n = head.size();
      head.clear();
      outstanding.release(n);
    } else if (pending.remove(tag)) outstanding.release();
  }
}
