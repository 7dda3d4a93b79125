import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { runSim } from '../../src/cli/runSim';
import { launchBrowser, newPage, runAxe } from './browser.ts';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

const FRAGMENT =
  'v=1&model=gpt-350m-16e&gpu=a800&checkpoint.mtbfHours=2&checkpoint.totalIterations=10000&checkpoint.viewIteration=3000';

describe('Exports in Chromium', () => {
  test('the Checkpointing lab downloads its run as a Chrome trace, the same file the command line writes', async () => {
    const { page, context, errors } = await newPage(browser);
    await page.goto(`${inject('baseUrl')}#${FRAGMENT}`);
    await page.waitForSelector('html[data-ready="true"]');
    await page.getByRole('tab', { name: 'Checkpointing' }).click();
    const button = page.getByRole('button', { name: 'Export trace (Perfetto)' });
    // Enabled once the run for this link is in.
    await expect.poll(() => button.isEnabled(), { timeout: 30_000 }).toBe(true);

    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toBe('moe-lab-checkpoint-run.trace.json');
    const file = await download.path();
    const text = await readFile(file, 'utf8');
    const trace = JSON.parse(text) as {
      traceEvents: { ph: string; name: string; ts: number; dur?: number }[];
      displayTimeUnit: string;
      metadata: { link: string };
    };
    expect(trace.displayTimeUnit).toBe('ms');
    expect(trace.traceEvents.length).toBeGreaterThan(100);
    expect(trace.traceEvents.some((event) => event.ph === 'X' && event.name === 'Training')).toBe(true);
    expect(trace.traceEvents.some((event) => event.ph === 'i' && event.name.startsWith('Fault'))).toBe(true);
    // The browser's run and the command line's agree to the byte for the link the page shows.
    const fragment = new URL(page.url()).hash.slice(1);
    expect(trace.metadata.link).toBe(`#${fragment}`);
    const cli = runSim(['--hash', fragment, '--trace', 'unused.json']);
    expect(cli.files?.[0]?.contents).toBe(text);

    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Downloaded moe-lab-checkpoint-run' }).count())
      .toBe(1);
    expect(await runAxe(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
