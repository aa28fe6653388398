// The installed version of a client library, for result.json's environment (even when the package's
// exports hide its package.json).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

export function clientVersion(pkg: string): string {
  try {
    let dir = path.dirname(require.resolve(pkg));
    for (let i = 0; i < 5; i++, dir = path.dirname(dir)) {
      try {
        const json = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
        if (json.name === pkg && json.version) return json.version;
      } catch {
        /* keep walking up */
      }
    }
  } catch {
    /* not resolvable */
  }
  return 'unknown';
}
