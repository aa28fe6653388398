import { defineConfig } from 'vitest/config';

// Two projects: pure unit tests run in parallel; tests that talk to the real local services
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
          name: 'services',
          include: ['test/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
          globalSetup: ['test/global-setup.ts'],
        },
      },
    ],
  },
});
