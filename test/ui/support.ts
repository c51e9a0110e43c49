/**
 * End-to-end UI tests: the real `equipoise serve` on the embedded default (PGlite + DuckDB demo) as a child
 * process, driven by Debian's Chromium through playwright-core. Suites skip by name when Chromium is not
 * installed; with REQUIRE_SERVICES=1 (CI) a missing browser is a failure instead.
 *
 * @example
 *   describeUi('datasources', () => {
 *     const ui = useUi();            // server + browser per file, a fresh signed-in page per test
 *     it('lists the demo', async () => { await ui.page.goto(ui.url('/datasources')); … });
 *   });
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';
import { freePort, REPO_ROOT, startEquipoise, type RunningProcess } from '../support/processes.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const REQUIRE_SERVICES = process.env.REQUIRE_SERVICES === '1';
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'];
export const SCREENSHOTS = path.join(REPO_ROOT, 'docs', 'screenshots');

const haveChromium = fs.existsSync(CHROMIUM);
if (!haveChromium && REQUIRE_SERVICES) throw new Error(`REQUIRE_SERVICES=1 but Chromium is not installed at ${CHROMIUM} (apt-get install -y chromium)`);

export function describeUi(name: string, body: () => void): void {
  describe.skipIf(!haveChromium)(`${name}${haveChromium ? '' : ' (skipped: Chromium not installed)'}`, body);
}

export interface UiServer {
  readonly baseUrl: string;
  /** The admin's session token, as printed in the login URL. */
  readonly token: string;
  readonly loginUrl: string;
  readonly process: RunningProcess;
  readonly dataDir: string;
  stop(): Promise<void>;
}

/** `equipoise serve` exactly as `npm start` runs it (the web build comes from the e2e global setup). */
export async function startUiServer(env: Record<string, string> = {}): Promise<UiServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'equipoise-ui-'));
  const port = await freePort();
  const proc = startEquipoise(['serve'], {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    ALLOW_PRIVATE_IPS: 'true',
    WORKER_POLL_MS: '250',
    ...env,
  });
  const [, loginUrl] = await proc.waitForLine(/Login URL: (\S+)/, 90_000);
  await proc.waitForLine(/Equipoise is listening on/, 30_000);
  const token = new URL(loginUrl!).hash.replace('#token=', '');
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    token,
    loginUrl: loginUrl!,
    process: proc,
    dataDir,
    async stop() {
      await proc.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
}

export interface UiHarness {
  readonly server: UiServer;
  readonly browser: Browser;
  /** A fresh context per test (own storage), signed in through the printed login URL. */
  readonly context: BrowserContext;
  readonly page: Page;
  url(p: string): string;
  /** Calls the admin API as the signed-in admin (for setup and for checking what the UI did). */
  api<T>(method: string, p: string, body?: unknown): Promise<T>;
  /** Saves `docs/screenshots/<name>.png` (full page). */
  screenshot(name: string): Promise<void>;
  /** Browser console errors and failed requests seen during the test (tests assert it stays empty). */
  readonly problems: string[];
}

/** Registers hooks for a server + browser per file and a signed-in page per test; read the fields inside tests. */
export function useUi(options: { env?: Record<string, string>; signedIn?: boolean; viewport?: { width: number; height: number } } = {}): UiHarness {
  const state = {} as { server: UiServer; browser: Browser; context: BrowserContext; page: Page; problems: string[] };
  beforeAll(async () => {
    state.server = await startUiServer(options.env);
    state.browser = await launchChromium();
  });
  afterAll(async () => {
    await state.browser?.close();
    await state.server?.stop();
  });
  beforeEach(async () => {
    state.problems = [];
    state.context = await state.browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 860 }, acceptDownloads: true });
    await state.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: state.server.baseUrl });
    state.page = await state.context.newPage();
    state.page.on('console', (m) => {
      if (m.type() === 'error') state.problems.push(`console: ${m.text()}`);
    });
    state.page.on('pageerror', (e) => state.problems.push(`page error: ${e.message}`));
    if (options.signedIn !== false) {
      await state.page.goto(state.server.loginUrl);
      await state.page.getByRole('navigation', { name: 'Main' }).waitFor();
    }
  });
  afterEach(async () => {
    await state.context?.close();
  });
  return {
    get server() {
      return state.server;
    },
    get browser() {
      return state.browser;
    },
    get context() {
      return state.context;
    },
    get page() {
      return state.page;
    },
    get problems() {
      return state.problems;
    },
    url: (p) => `${state.server.baseUrl}${p}`,
    async api<T>(method: string, p: string, body?: unknown): Promise<T> {
      const res = await fetch(`${state.server.baseUrl}${p}`, {
        method,
        headers: { Authorization: `Bearer ${state.server.token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${p} → ${res.status}: ${text}`);
      return (text ? JSON.parse(text) : undefined) as T;
    },
    async screenshot(name) {
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      await state.page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
    },
  };
}
