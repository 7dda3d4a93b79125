import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// One config for the app build and for the three test projects:
// core (Node: any DOM use fails), components (jsdom) and e2e (real Chromium against the built app).
export default defineConfig({
  plugins: [react()],
  base: './',
  build: { target: 'es2022', sourcemap: false },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'core',
          // Property tests run thousands of cases; on 2 shared cores one can pass 5 s without anything being wrong.
          testTimeout: 30_000,
          environment: 'node',
          include: ['test/core/**/*.test.ts', 'test/state/**/*.test.ts', 'test/cli/**/*.test.ts'],
          setupFiles: ['test/support/fastCheckSeed.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'components',
          environment: 'jsdom',
          include: ['test/panels/**/*.test.tsx'],
          setupFiles: ['test/support/fastCheckSeed.ts', 'test/panels/setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/globalSetup.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
