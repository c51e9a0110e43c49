/**
 * Interactive API docs at `/docs`. Swagger UI's assets are served from the installed `swagger-ui-dist`
 * package rather than a CDN, so the docs work on machines without internet access.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { swaggerUI } from '@hono/swagger-ui';
import type { Hono } from 'hono';
import type { AppEnv } from './app-env.ts';

const ASSET_PREFIX = '/docs/assets/swagger-ui-dist';
const assetDir = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const ASSETS = new Set(['swagger-ui.css', 'swagger-ui-bundle.js']);

export function mountDocs(app: Hono<AppEnv>): void {
  app.get('/docs', swaggerUI({ url: '/openapi.json', baseUrl: '/docs/assets', title: 'Equipoise API', persistAuthorization: true }));
  app.use(`${ASSET_PREFIX}/:file`, async (c, next) => {
    if (!ASSETS.has(c.req.param('file'))) return c.json({ detail: 'Not Found' }, 404);
    return serveStatic({ root: path.relative(process.cwd(), assetDir), rewriteRequestPath: (p) => p.slice(ASSET_PREFIX.length) })(c, next);
  });
}
