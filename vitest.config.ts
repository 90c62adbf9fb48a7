import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs nothing running; `integration` talks to the real Neo4j, Redis,
// Prometheus and Alertmanager that `scripts/services.sh up` starts.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/integration/**', 'node_modules/**'],
          setupFiles: ['test/setup/fast-check-seed.ts'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          setupFiles: ['test/setup/fast-check-seed.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
