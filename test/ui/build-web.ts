/**
 * Global setup of the e2e project: builds the web UI once per run when the build is missing or older than
 * its sources, so `npm test` on a fresh clone tests what `npm start` serves.
 */
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'vite';

const WEB = path.resolve(import.meta.dirname, '../../web');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

export default async function setup(): Promise<void> {
  const index = path.join(WEB, 'dist', 'index.html');
  const sources = Math.max(newestMtime(path.join(WEB, 'src')), fs.statSync(path.join(WEB, 'index.html')).mtimeMs);
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= sources) return;
  // Built beside the live directory and swapped in, so a server another run is testing never sees an empty dist.
  const staging = path.join(WEB, `dist.building-${process.pid}`);
  // vitest runs with NODE_ENV=test, which Vite would bake into React (its development build, 600 kB); the
  // tests must see the production bundle `npm start` serves.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: path.join(WEB, 'vite.config.ts'), mode: 'production', logLevel: 'warn', build: { outDir: staging, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  const old = path.join(WEB, `dist.old-${process.pid}`);
  if (fs.existsSync(path.join(WEB, 'dist'))) fs.renameSync(path.join(WEB, 'dist'), old);
  fs.renameSync(staging, path.join(WEB, 'dist'));
  fs.rmSync(old, { recursive: true, force: true });
}
