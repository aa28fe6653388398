// Live progress while a run goes: one redrawn line in a terminal, a plain line every 5 s otherwise.
import type { Progress } from '../run/index.js';
import { formatMs } from '../units.js';

export function progressPrinter(stream: NodeJS.WriteStream, quiet: boolean): { update: (p: Progress) => void; done: () => void } {
  if (quiet) return { update: () => undefined, done: () => undefined };
  const tty = stream.isTTY && !process.env.CI;
  let lastPlain = 0;
  let drawn = false;
  return {
    update(p) {
      const iv = p.interval;
      const line = `${(p.elapsedMs / 1000).toFixed(0).padStart(4)}s/${(p.totalMs / 1000).toFixed(0)}s ${p.phase.padEnd(9)} attempted ${iv.attempted}/s acked ${iv.acked}/s delivered ${iv.delivered}/s in-flight ${p.inFlight} e2e p99 ${formatMs(iv.e2e.p99)} errors ${iv.failed + iv.indeterminate}`;
      if (tty) {
        stream.write(`\r\x1b[2K${line}`);
        drawn = true;
      } else if (p.elapsedMs - lastPlain >= 5000 || p.elapsedMs >= p.totalMs - 500) {
        lastPlain = p.elapsedMs;
        stream.write(`${line}\n`);
      }
    },
    done() {
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}
