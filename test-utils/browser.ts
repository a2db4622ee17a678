// Browser tests: Debian's Chromium (installed by .ci/run) driven by playwright-core against a real
// Weft server over loopback that serves the built app (dist/ui). One browser per test file, shared by
// its tests; each test opens its own context (cookies, storage) so sessions never leak between tests.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startTestServer, type TestServer } from './api-server.js';
import { repoRoot } from './paths.js';

export const chromiumPath = process.env.WEFT_CHROMIUM ?? '/usr/bin/chromium';
export const uiDir = join(repoRoot, 'dist', 'ui');
export const screenshotDir = join(repoRoot, 'test-results', 'screenshots');

/** The `skip` option of a browser suite: false when Chromium and the built app are there, else why not. */
export const browserSkip: { skip: string | false } = {
  skip: !existsSync(chromiumPath)
    ? `Chromium is not at ${chromiumPath} (apt-get install -y chromium, or set WEFT_CHROMIUM)`
    : !existsSync(join(uiDir, 'index.html'))
      ? 'The app is not built (dist/ui): run npm run build'
      : false,
};

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    // No sandbox inside CI containers; /dev/shm is small there.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
}

/** A real `weft serve` (SQLite, own config dir, free port) that also serves dist/ui. */
export function startUiServer(env: Record<string, string> = {}): Promise<TestServer> {
  return startTestServer('sqlite', env, { uiDir });
}

/** Errors a page raised (uncaught exceptions, console errors such as CSP refusals), for asserting none happened. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // A refused API call logs the failed resource; those are asserted on by the tests themselves.
    if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) errors.push(`console: ${message.text()}`);
  });
  return errors;
}

/** A fresh context and page on `server`, with its errors collected. */
export async function openPage(browser: Browser, server: TestServer, path = '/'): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(path);
  return { context, page, errors };
}

/** Saves a PNG of the page into test-results/screenshots/ (git-ignored) for people to look at. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

let axeSource: string | null = null;

/**
 * Runs axe-core in the page and returns its violations. The source is evaluated through the DevTools
 * protocol rather than added as a <script>, so the app's Content-Security-Policy stays on.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
}

/** Violations that matter for keyboard and screen-reader users (axe's serious and critical). */
export function seriousViolations(violations: AxeViolation[]): AxeViolation[] {
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** A bearer token of the auto-login superuser, for checking through the API what the page did. */
export async function superuserHeaders(server: TestServer): Promise<Record<string, string>> {
  const response = await server.call('/api/v1/auto_login');
  if (response.status !== 200) throw new Error(`auto_login answered ${response.status}: ${response.text}`);
  return { authorization: `Bearer ${(response.body as { access_token: string }).access_token}` };
}
