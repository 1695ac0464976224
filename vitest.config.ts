import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      '@shoal/api': src('api'),
      '@shoal/manager': src('manager'),
      '@shoal/agent': src('agent'),
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
  },
});
