/**
 * Builds the UI into web/dist, which `equipoise serve` serves at `/`. `npm run dev -w web` serves it with hot
 * reload on :5173 and forwards the API paths to a running `npm start` on :8000.
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const api = 'http://127.0.0.1:8000';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  // Screens are split per route (`app/lazy-page.ts`); the shared chunk (React, the router, TanStack Query,
  // the shell and kit) is ≈370 kB minified, ≈115 kB gzip, under Vite's default 500 kB warning.
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: { proxy: { '/v1': api, '/docs': api, '/openapi.json': api } },
});
