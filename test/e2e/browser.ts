import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type * as Axe from 'axe-core';
import { inject } from 'vitest';
import { repoRoot } from '../support/paths.ts';

export { launchBrowser } from '../support/chromium.ts';

export interface OpenedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors, uncaught page errors and failed requests, in the order they happened. */
  errors: string[];
}

/**
 * Opens a page in a fresh context (no shared storage between tests). Clipboard access is granted by
 * default so copy/share features can be tested without a prompt. Close `context` when done.
 */
export async function newPage(
  browser: Browser,
  options: { permissions?: string[] } = {},
): Promise<OpenedPage> {
  const context = await browser.newContext();
  const origin = new URL(inject('baseUrl')).origin;
  await context.grantPermissions(options.permissions ?? ['clipboard-read', 'clipboard-write'], { origin });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('requestfailed', (request) => {
    // A request cut short by the test's own navigation (reload, goto) is aborted, not failed.
    const reason = request.failure()?.errorText ?? '';
    if (reason.includes('ERR_ABORTED')) return;
    errors.push(`requestfailed: ${request.url()} ${reason}`.trim());
  });
  return { page, context, errors };
}

const require = createRequire(import.meta.url);
let axeSource: Promise<string> | undefined;

/**
 * Runs axe-core's WCAG 2.0/2.1 A and AA rules on the current page, once it has settled, and returns the violations.
 * Settled: nothing is marked aria-busy. Figures computed for older settings are dimmed while new ones are routed
 * (inactive for that moment, as WCAG 1.4.3 exempts), and axe would count the dimming against their contrast.
 */
export async function runAxe(page: Page): Promise<Axe.Result[]> {
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'), null, {
    timeout: 30_000,
  });
  axeSource ??= readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.addScriptTag({ content: await axeSource });
  return page.evaluate(async () => {
    const { axe } = window as unknown as { axe: typeof Axe };
    const results = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return results.violations;
  });
}

/** Saves a full-page PNG to test-results/screenshots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = path.join(repoRoot, 'test-results', 'screenshots');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
