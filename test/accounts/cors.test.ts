/** CORS: an allow-list from the configuration; open to any origin only in development; closed by default. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { systemClock } from '../../src/domain/clock.ts';
import { createApp, type AppOptions } from '../../src/http/app.ts';
import type { ServiceDeps } from '../../src/services/context.ts';

// Preflights and the landing page touch no database.
const deps = { db: undefined, clock: systemClock, publicUrl: '', allowPrivateIps: false, openWarehouse: async () => undefined } as unknown as ServiceDeps;

const preflight = (options: AppOptions, origin: string) =>
  createApp(deps, options).request('/v1/m/organizations', {
    method: 'OPTIONS',
    headers: { Origin: origin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' },
  });

describe('CORS', () => {
  it('allows only the configured origins', async () => {
    const options = { corsOrigins: loadConfig({ CORS_ORIGINS: 'https://app.example.org, https://admin.example.org/' }).corsOrigins };
    expect(options.corsOrigins).toEqual(['https://app.example.org', 'https://admin.example.org']);
    const ok = await preflight(options, 'https://admin.example.org');
    expect(ok.headers.get('Access-Control-Allow-Origin')).toBe('https://admin.example.org');
    expect(ok.headers.get('Access-Control-Allow-Headers')).toMatch(/Authorization/i);
    const other = await preflight(options, 'https://evil.example.com');
    expect(other.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });

  it('is closed by default and open to any origin only with DEVELOPMENT=true', async () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect((await preflight({}, 'https://app.example.org')).headers.get('Access-Control-Allow-Origin')).toBeNull();
    const dev = loadConfig({ DEVELOPMENT: 'true' }).corsOrigins;
    expect(dev).toBe('*');
    expect((await preflight({ corsOrigins: dev }, 'http://localhost:5173')).headers.get('Access-Control-Allow-Origin')).toBe('http://localhost:5173');
    expect(() => loadConfig({ CORS_ORIGINS: '*' })).toThrow(/CORS_ORIGINS/);
    expect(() => loadConfig({ OIDC_ISSUER: 'https://id.example.org' })).toThrow(/OIDC_CLIENT_ID/);
  });
});
