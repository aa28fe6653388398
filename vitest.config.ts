import { defineConfig } from 'vitest/config';

// Projects by what a test needs. Node only: unit tests beside the code and the test/ files that run
// the memory adapter, the CLI or npm, all in parallel. Services: the local brokers and Toxiproxy of
// scripts/services.sh, and the 3-node clusters of scripts/cluster.sh (root, network namespaces), one
// file at a time: they share the proxies, and their timing tests (±3 % latency calibrations) fail
// beside another file's load. The clusters test brings its twelve nodes down when it is done.
const NODE_ONLY = ['test/api.test.ts', 'test/check.test.ts', 'test/cli.test.ts', 'test/explore.test.ts', 'test/k8s.test.ts', 'test/ports.test.ts'];

// each project's temporary files under one folder, removed at its end (test/temp-root.ts)
const TEMP = 'test/temp-root.ts';

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['src/**/*.test.ts'], testTimeout: 30_000, globalSetup: [TEMP] } },
      { test: { name: 'node', include: NODE_ONLY, testTimeout: 60_000, globalSetup: [TEMP] } },
      // packs and installs the package: apart, so the Node 24 pass can run it on its own npm and npx
      { test: { name: 'package', include: ['test/package.test.ts'], testTimeout: 240_000, globalSetup: [TEMP] } },
      {
        test: {
          name: 'services',
          include: ['test/**/*.test.ts'],
          exclude: [...NODE_ONLY, 'test/package.test.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
          globalSetup: [TEMP, 'test/global-setup.ts'],
        },
      },
    ],
  },
});
