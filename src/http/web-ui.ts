/**
 * Serves the built web UI (`web/dist`) at `/`: hashed assets cached for a year, and `index.html` for every
 * other browser path so client-side routes survive a reload. API paths never fall through to the UI: an
 * unknown `/v1/...` still gets the JSON 404. Without a build the landing page explains how to make one.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './app-env.ts';
import { landingPage } from './landing-page.ts';

const NOT_UI = /^\/(v1|docs|openapi\.json|_healthchecks)(\/|$)/;

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export function mountWebUi(app: OpenAPIHono<AppEnv>, webRoot: string | null): void {
  const root = webRoot ? path.resolve(webRoot) : null;
  const indexFile = root ? path.join(root, 'index.html') : null;

  app.get('*', async (c) => {
    const urlPath = decodeURIComponent(c.req.path);
    if (NOT_UI.test(urlPath)) return c.notFound();
    if (!root || !indexFile || !fs.existsSync(indexFile)) {
      return c.html(landingPage({ uiMissing: root !== null }));
    }
    if (urlPath.startsWith('/assets/')) {
      const file = path.join(root, urlPath);
      // path.join normalises `..`; anything that escapes the build directory is not ours to serve.
      if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) return c.notFound();
      const body = await fs.promises.readFile(file);
      return c.body(body, 200, {
        'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        // Vite puts a content hash in every asset name, so a given URL never changes.
        'Cache-Control': 'public, max-age=31536000, immutable',
      });
    }
    const html = await fs.promises.readFile(indexFile, 'utf8');
    return c.body(html, 200, { 'Content-Type': TYPES['.html']!, 'Cache-Control': 'no-cache' });
  });
}
