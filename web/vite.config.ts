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
  // One chunk today (≈960 kB minified, ≈260 kB gzip); the limit keeps `npm start` quiet until routes are
  // split with react-router's `lazy`, and still warns if the bundle grows past it.
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1100 },
  server: { proxy: { '/v1': api, '/docs': api, '/openapi.json': api } },
});
