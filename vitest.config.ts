import { defineConfig } from 'vitest/config';

// Three projects: pure unit tests run in parallel; tests that need no service but take a while
// (packing and installing the package) run beside them; tests that talk to the real local services
// (and share their Toxiproxy proxies) run one file at a time.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'offline',
          include: ['test/package.test.ts'],
          testTimeout: 240_000,
        },
      },
      {
        test: {
          name: 'services',
          include: ['test/**/*.test.ts'],
          exclude: ['test/package.test.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
          globalSetup: ['test/global-setup.ts'],
        },
      },
    ],
  },
});
