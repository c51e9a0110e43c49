import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

/**
 * Three projects, one command (`npm test` runs them all): the backend and its real databases (`node`), the
 * web UI's components in jsdom (`web`), and the UI end to end in Chromium against a real server (`e2e`,
 * also `npm run test:e2e`).
 */
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: PGlite instances are memory-hungry (≈400 MB each), so keep file parallelism modest.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['test/ui/**', '**/node_modules/**'],
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
      {
        extends: true,
        plugins: [react()],
        test: {
          name: 'web',
          include: ['web/src/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          setupFiles: ['web/src/test-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/ui/**/*.test.ts'],
          globalSetup: ['test/ui/build-web.ts'],
          // One browser and one server per file; files run one at a time so screenshots are not starved of CPU.
          fileParallelism: false,
          testTimeout: 120_000,
        },
      },
    ],
  },
});
