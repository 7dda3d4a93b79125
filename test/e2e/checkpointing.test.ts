import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { runSim } from '../../src/cli/runSim';
import { launchBrowser, newPage, runAxe, screenshot } from './browser.ts';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

const FRAGMENT =
  'v=1&model=gpt-350m-16e&gpu=a800&checkpoint.mtbfHours=2&checkpoint.totalIterations=10000&checkpoint.viewIteration=3000';

async function openCheckpointing(page: Page, fragment: string): Promise<void> {
  await page.goto(`${inject('baseUrl')}#${fragment}`);
  await page.waitForSelector('html[data-ready="true"]');
  await page.getByRole('tab', { name: 'Checkpointing' }).click();
  await page.waitForSelector('[data-metric="checkpoint.run.plt"]', { timeout: 30_000 });
}

async function runValues(page: Page): Promise<string[]> {
  return page.$$eval('.checkpointing__metrics [data-metric]', (elements) =>
    elements.map(
      (element) =>
        `${element.getAttribute('data-metric')}=${element.querySelector('[data-value]')?.getAttribute('data-value')}`,
    ),
  );
}

function fragmentOf(page: Page): string {
  return new URL(page.url()).hash.slice(1);
}

describe('Checkpointing lab in Chromium', () => {
  test('the timeline animates through faults and rollbacks, and the link reproduces the run exactly', async () => {
    const first = await newPage(browser);
    await openCheckpointing(first.page, FRAGMENT);
    const faults = Number(
      await first.page.getAttribute('[data-metric="checkpoint.run.faults"] [data-value]', 'data-value'),
    );
    expect(faults).toBeGreaterThan(0);
    const values = await runValues(first.page);
    expect(values.length).toBeGreaterThan(10);

    const second = await newPage(browser);
    await openCheckpointing(second.page, FRAGMENT);
    expect(await runValues(second.page)).toEqual(values);
    // The command line simulates the same run for the same link.
    const cli = JSON.parse(runSim(['--hash', FRAGMENT, '--json']).stdout) as {
      metrics: { id: string; value: number }[];
    };
    expect(
      cli.metrics
        .filter((each) => each.id.startsWith('checkpoint.'))
        .map((each) => `${each.id}=${each.value}`),
    ).toEqual(values);

    await first.page.getByRole('button', { name: 'Play' }).click();
    await expect
      .poll(() => fragmentOf(first.page), { timeout: 10_000 })
      .not.toContain('checkpoint.viewIteration=3000');
    await first.page.getByRole('button', { name: 'Pause' }).click();
    expect(await runAxe(first.page)).toEqual([]);
    await screenshot(first.page, 'checkpointing');
    expect(first.errors).toEqual([]);
    expect(second.errors).toEqual([]);
    await first.context.close();
    await second.context.close();
  });

  test('PEC and sharding change the checkpoint and the link', async () => {
    const { page, context, errors } = await newPage(browser);
    await openCheckpointing(page, 'v=1&model=gpt-350m-16e&gpu=a800');
    const pecBytes = Number(
      await page.getAttribute('[data-metric="checkpoint.pecBytes"] [data-value]', 'data-value'),
    );
    await page.getByLabel('Experts per checkpoint K').fill('8');
    await page.getByLabel('Experts per checkpoint K').press('Enter');
    await expect.poll(() => fragmentOf(page)).toContain('checkpoint.expertsPerCheckpoint=8');
    await expect
      .poll(async () =>
        Number(await page.getAttribute('[data-metric="checkpoint.pecBytes"] [data-value]', 'data-value')),
      )
      .toBeGreaterThan(pecBytes);
    await page.getByLabel('Who saves what').selectOption('baseline');
    await expect.poll(() => fragmentOf(page)).toContain('checkpoint.sharding=baseline');
    expect(errors).toEqual([]);
    await context.close();
  });

  test('the training lane shows a checkpoint stall only when the save stalls training', async () => {
    const { page, context, errors } = await newPage(browser);
    // Pixels of the whole run's Training lane in the stall colour (Okabe–Ito orange, #E69F00).
    const stallPixels = () =>
      page.getByRole('img', { name: /^The whole run:/ }).evaluate((canvas: HTMLCanvasElement) => {
        const ratio = canvas.width / canvas.clientWidth;
        const { data } = canvas
          .getContext('2d')!
          .getImageData(0, Math.round(10 * ratio), canvas.width, Math.round(18 * ratio));
        let count = 0;
        for (let index = 0; index < data.length; index += 4)
          if (data[index] === 0xe6 && data[index + 1] === 0x9f && data[index + 2] === 0x00) count += 1;
        return count;
      });
    const stall = async () =>
      Number(
        await page.getAttribute('[data-metric="checkpoint.saveStallSeconds"] [data-value]', 'data-value'),
      );
    await openCheckpointing(page, FRAGMENT);
    expect(await stall()).toBe(0); // asynchronous two-level saving hides the snapshot (Eq. 10)
    await expect.poll(stallPixels).toBe(0);
    await page.getByLabel('Asynchronous saving').uncheck();
    await expect.poll(stall).toBeGreaterThan(0);
    await expect.poll(stallPixels).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('the canvas charts redraw in the new colours when the theme changes', async () => {
    const { page, context, errors } = await newPage(browser);
    await openCheckpointing(page, FRAGMENT);
    const timeline = page.getByRole('img', { name: /^The whole run:/ });
    // A point on the Faults lane's empty track, left of the first fault: it shows the --track colour.
    const trackPixel = () =>
      timeline.evaluate((canvas: HTMLCanvasElement) => {
        const ratio = canvas.width / canvas.clientWidth;
        const [red, green, blue] = canvas
          .getContext('2d')!
          .getImageData(Math.round(76 * ratio), Math.round((6 + 3 * 28 + 12) * ratio), 1, 1).data;
        return `rgb(${red}, ${green}, ${blue})`;
      });
    await expect.poll(trackPixel).toBe('rgb(227, 232, 237)'); // --track, light: #e3e8ed
    await page.getByRole('button', { name: 'Dark theme' }).click();
    await expect.poll(trackPixel).toBe('rgb(44, 52, 61)'); // --track, dark: #2c343d
    expect(errors).toEqual([]);
    await context.close();
  });
});
