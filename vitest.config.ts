import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['main/**/*.test.ts', 'test/**/*.test.ts', 'renderer/src/**/*.test.ts'],
    exclude: ['node_modules/**', 'out/**'],
    testTimeout: 60_000,
    hookTimeout: 90_000,
    pool: 'forks',
    globalSetup: ['test/global-temp.ts'],
  },
});
