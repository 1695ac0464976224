import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      '@shoal/api': src('api'),
      '@shoal/manager': src('manager'),
      '@shoal/agent': src('agent'),
      '@shoal/cli': src('cli'),
    },
  },
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**', 'test/agent/docker/**'] },
      },
      {
        // Tests that drive the real Docker engine: one file at a time, with the engine and images ensured first.
        extends: true,
        test: {
          name: 'docker',
          include: ['test/e2e/**/*.test.ts', 'test/agent/docker/**/*.test.ts'],
          fileParallelism: false,
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
