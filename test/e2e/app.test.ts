import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { runSim } from '../../src/cli/runSim';
import type { Metric } from '../../src/core';
import { CHROMIUM_ARGS } from '../support/chromium.ts';
import { launchBrowser, newPage, runAxe, screenshot } from './browser.ts';

let browser: Browser;
const baseUrl = () => inject('baseUrl');

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

async function open(page: Page, fragment = ''): Promise<void> {
  await page.goto(`${baseUrl()}${fragment ? `#${fragment}` : ''}`);
  await page.waitForSelector('html[data-ready="true"]');
}

/** The exact numbers behind every metric on the page (data-value holds the unformatted value). */
async function metricValues(page: Page): Promise<Record<string, number>> {
  return page.$$eval('[data-metric]', (elements) =>
    Object.fromEntries(
      elements.map((element) => [
        element.getAttribute('data-metric') ?? '',
        Number(element.querySelector('[data-value]')?.getAttribute('data-value')),
      ]),
    ),
  );
}

function fragmentOf(url: string): string {
  return new URL(url).hash.slice(1);
}

describe('MoE Lab in Chromium', () => {
  test('the default page renders the summary, with no console errors and no axe violations in either theme', async () => {
    const { page, context, errors } = await newPage(browser);
    await open(page);
    expect(await page.textContent('[data-metric="totalParams"] .metric__value')).toBe('46.7B');
    expect(fragmentOf(page.url())).toBe('v=1');
    expect(await runAxe(page)).toEqual([]);
    await screenshot(page, 'default-light');
    await page.getByRole('button', { name: 'Dark theme' }).click();
    expect(await page.getAttribute('html', 'data-theme')).toBe('dark');
    expect(await runAxe(page)).toEqual([]);
    await screenshot(page, 'default-dark');
    expect(errors).toEqual([]);
    await context.close();
  });

  test('a shared link opens its scenario, and the command line gives identical numbers for it', async () => {
    const fragment = 'v=1&model=deepseek-v3&gpu=h800&ep=64&dp=64&batch=1024';
    const { page, context, errors } = await newPage(browser);
    await open(page, fragment);
    expect(fragmentOf(page.url())).toBe(fragment);
    expect(await page.locator('.notice').count()).toBe(0);
    const inBrowser = await metricValues(page);
    const cli = runSim(['--hash', fragment, '--json']);
    expect(cli.exitCode).toBe(0);
    const document = JSON.parse(cli.stdout) as { fragment: string; metrics: Metric[] };
    expect(document.fragment).toBe(fragment);
    // The Summary tab shows the summary metrics; the Routing tab's are compared in routing.test.ts.
    const fromCli = Object.fromEntries(
      document.metrics
        .filter((metric) => !metric.id.includes('.')) // summary ids have no lab prefix
        .map((metric) => [metric.id, metric.value]),
    );
    expect(Object.keys(inBrowser).sort()).toEqual(Object.keys(fromCli).sort());
    expect(inBrowser).toEqual(fromCli);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('changing a control changes the numbers and the URL, and a reload keeps the state', async () => {
    const { page, context, errors } = await newPage(browser);
    await open(page);
    await page.getByLabel('Model preset').selectOption('olmoe-1b-7b');
    await expect.poll(() => page.textContent('[data-metric="totalParams"] .metric__value')).toBe('6.92B');
    await page.getByLabel(/Batch size/).fill('8192');
    await page.getByLabel(/Sequence length/).fill('512');
    await expect.poll(() => fragmentOf(page.url())).toBe('v=1&model=olmoe-1b-7b&batch=8192&seq=512');
    // N̄ = t·k/n = 8192·512·8/64
    await expect
      .poll(() => page.getAttribute('[data-metric="meanTokensPerExpert"] [data-value]', 'data-value'))
      .toBe(String((8192 * 512 * 8) / 64));
    const before = await metricValues(page);
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]');
    expect(fragmentOf(page.url())).toBe('v=1&model=olmoe-1b-7b&batch=8192&seq=512');
    expect(
      await page.inputValue('select#' + (await page.getByLabel('Model preset').getAttribute('id'))),
    ).toBe('olmoe-1b-7b');
    expect(await metricValues(page)).toEqual(before);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('Back undoes an edit and Forward redoes it', async () => {
    const { page, context, errors } = await newPage(browser);
    await open(page);
    const defaults = await metricValues(page);
    await page.getByLabel('Model preset').selectOption('olmoe-1b-7b');
    await expect.poll(() => page.textContent('[data-metric="totalParams"] .metric__value')).toBe('6.92B');
    const olmoe = await metricValues(page);
    // Past the window in which edits share one entry (urlSync.test.tsx checks the sharing).
    await page.waitForTimeout(1200);
    await page.getByLabel(/Batch size/).fill('8192');
    await expect.poll(() => fragmentOf(page.url())).toBe('v=1&model=olmoe-1b-7b&batch=8192');
    const edited = await metricValues(page);

    await page.goBack();
    await expect.poll(() => fragmentOf(page.url())).toBe('v=1&model=olmoe-1b-7b');
    await expect.poll(() => metricValues(page)).toEqual(olmoe);
    expect(await page.getByLabel(/Batch size/).inputValue()).not.toBe('8192');
    await page.goBack();
    await expect.poll(() => fragmentOf(page.url())).toBe('v=1');
    await expect.poll(() => metricValues(page)).toEqual(defaults);
    expect(await page.getByLabel('Model preset').inputValue()).toBe('mixtral-8x7b');
    await page.goForward();
    await page.goForward();
    await expect.poll(() => fragmentOf(page.url())).toBe('v=1&model=olmoe-1b-7b&batch=8192');
    await expect.poll(() => metricValues(page)).toEqual(edited);
    expect(await page.getByLabel(/Batch size/).inputValue()).toBe('8192');
    expect(await page.locator('.notice').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('Copy link copies a link that reopens the same scenario in a fresh browser profile', async () => {
    const { page, context, errors } = await newPage(browser);
    await open(page, 'v=1&model=qwen3-30b-a3b');
    await page.getByLabel(/Expert parallel/).fill('16');
    await page.getByLabel(/Expert parallel/).press('Enter');
    await page.getByRole('button', { name: 'Copy link' }).click();
    await expect.poll(() => page.textContent('.copy-link__status')).toBe('Link copied.');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(page.url());
    expect(fragmentOf(copied)).toContain('ep=16');
    const expected = await metricValues(page);

    const profile = await mkdtemp(path.join(tmpdir(), 'moe-lab-profile-'));
    const fresh = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    });
    try {
      const freshPage = await fresh.newPage();
      await freshPage.goto(copied);
      await freshPage.waitForSelector('html[data-ready="true"]');
      expect(await metricValues(freshPage)).toEqual(expected);
      expect(freshPage.url()).toBe(copied);
    } finally {
      await fresh.close();
      await rm(profile, { recursive: true, force: true });
    }
    expect(errors).toEqual([]);
    await context.close();
  });

  test('a malformed link opens with a notice listing the fixes, never a blank page or an error', async () => {
    const { page, context, errors } = await newPage(browser);
    await open(page, 'v=9&model=mixtral-8x7b&ep=3&model.topK=99&seq=%E0%A4%A&__proto__=1&batch=NaN');
    const notice = page.locator('.notice');
    await expect.poll(() => notice.count()).toBe(1);
    const text = (await notice.textContent()) ?? '';
    expect(text).toContain('version');
    expect(text).toContain('EP=3 does not divide the 8 experts');
    expect(text).toContain('"__proto__" is not a setting');
    expect(text).toContain('Batch size (batch): "NaN" is not a number');
    expect(await page.textContent('[data-metric="totalParams"] .metric__value')).toBe('46.7B');
    expect(fragmentOf(page.url())).toBe('v=1&model.topK=8&ep=2');
    expect(await runAxe(page)).toEqual([]);
    await screenshot(page, 'malformed-link');
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    expect(await notice.count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('the app works from the keyboard: tabs, show-your-work and the Learn table', async () => {
    const { page, context, errors } = await newPage(browser);
    await open(page);
    await page.getByRole('tab', { name: 'Summary' }).focus();
    await page.keyboard.press('End');
    expect(await page.getByRole('tab', { name: 'Learn' }).getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.locator('[data-check]').count()).toBeGreaterThan(10);
    expect(await runAxe(page)).toEqual([]);
    await screenshot(page, 'learn');
    // At 1400 px every verdict's words stay inside their cell (a bound's rule once ran under the Open button).
    await page.setViewportSize({ width: 1400, height: 900 });
    const spills = await page.evaluate(() =>
      [...document.querySelectorAll('.checks td')].flatMap((cell) => {
        const box = cell.getBoundingClientRect();
        return [...cell.querySelectorAll('span, button')]
          .filter((inner) => inner.getBoundingClientRect().right > box.right + 0.5)
          .map(
            (inner) => `${cell.closest('[data-check]')?.getAttribute('data-check')}: ${inner.textContent}`,
          );
      }),
    );
    expect(spills).toEqual([]);
    // A model figure opens to its working in the table, from the keyboard.
    const figure = page.locator('[data-check="routing.olmoe-peak"] .checks__figure');
    await figure.focus();
    await page.keyboard.press('Enter');
    expect(await figure.getAttribute('aria-expanded')).toBe('true');
    expect(await page.locator('.checks__working-row:not([hidden])').textContent()).toContain('4.59');
    expect(await runAxe(page)).toEqual([]);
    await screenshot(page, 'learn-working');
    await page.keyboard.press('Escape');
    expect(await figure.getAttribute('aria-expanded')).toBe('false');
    await page.getByRole('tab', { name: 'Learn' }).focus();
    await page.keyboard.press('Home');
    const metricButton = page.locator('[data-metric="meanTokensPerExpert"] button');
    await metricButton.focus();
    await page.keyboard.press('Enter');
    expect(await metricButton.getAttribute('aria-expanded')).toBe('true');
    expect(
      await page.locator('[data-metric="meanTokensPerExpert"] .metric__working').textContent(),
    ).toContain('Capacity-Aware Inference, Eq. 3');
    expect(await runAxe(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('on a phone-sized screen a link opens on its lab, with the settings folded above it', async () => {
    const { page, context, errors } = await newPage(browser);
    await page.setViewportSize({ width: 400, height: 800 });
    await open(page, 'v=1&model=olmoe-1b-7b&lab=checkpointing');
    expect(await page.getByRole('tab', { name: 'Checkpointing' }).getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => page.getByRole('button', { name: 'Play' }).isVisible()).toBe(true);
    expect(await page.getByLabel('Model preset').isVisible()).toBe(false);
    const bodyWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(bodyWidth).toBeLessThanOrEqual(400);
    await page.getByText('Scenario settings').click();
    expect(await page.getByLabel('Model preset').isVisible()).toBe(true);
    expect(await runAxe(page)).toEqual([]);
    await screenshot(page, 'phone-checkpointing');
    // No lab is wider than the phone: wide tables scroll inside their box (the Learn tables once widened the page).
    for (const lab of ['Summary', 'Routing', 'Learn']) {
      await page.getByRole('tab', { name: lab }).click();
      await expect
        .poll(() => page.evaluate(() => document.documentElement.scrollWidth), { message: lab })
        .toBeLessThanOrEqual(400);
    }
    expect(errors).toEqual([]);
    await context.close();
  });
});
