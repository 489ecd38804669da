import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/real-servers.ts'],
          testTimeout: 120_000,
          hookTimeout: 240_000,
          // The suites share one broker and one cluster; running files one at a time keeps timings honest on 2 cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
