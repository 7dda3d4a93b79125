import { writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { runSim } from '../../src/cli/runSim';
import { decodeFragment, routeStep } from '../../src/core';
import { routingMetrics } from '../../src/core/routing/metrics';
import { routingSummaryMetrics } from '../../src/core/routing/summaryMetrics';
import { launchBrowser, newPage, runAxe, screenshot } from './browser.ts';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

async function openRouting(page: Page, fragment: string): Promise<void> {
  await page.goto(`${inject('baseUrl')}#${fragment}`);
  await page.waitForSelector('html[data-ready="true"]');
  await page.getByRole('tab', { name: 'Routing' }).click();
  await page.waitForSelector('[data-metric="routing.droppedFraction"]', { timeout: 30_000 });
}

function fragmentOf(page: Page): string {
  return new URL(page.url()).hash.slice(1);
}

async function metric(page: Page, id: string): Promise<number> {
  return Number(await page.getAttribute(`[data-metric="${id}"] [data-value]`, 'data-value'));
}

/** Every figure in the Routing tab's two metric groups (the layer shown, then the whole batch), as id=value. */
async function shownFigures(page: Page): Promise<string[]> {
  return page.$$eval('.routing__metric-groups [data-metric]', (elements) =>
    elements.map(
      (element) =>
        `${element.getAttribute('data-metric')}=${element.querySelector('[data-value]')?.getAttribute('data-value')}`,
    ),
  );
}

/** A hash of a canvas's pixels: the picture changed when it differs. */
async function canvasSignature(page: Page, label: string): Promise<string> {
  return page.$eval(`canvas[aria-label^="${label}"]`, (canvas) => {
    const data = (canvas as HTMLCanvasElement).toDataURL();
    let hash = 0;
    for (let index = 0; index < data.length; index += 1)
      hash = (Math.imul(hash, 31) + data.charCodeAt(index)) | 0;
    return `${data.length}:${hash}`;
  });
}

describe('Routing lab in Chromium', () => {
  test('draws the flow, bars and heatmap, and every control changes the picture and the link', async () => {
    const { page, context, errors } = await newPage(browser);
    await openRouting(page, 'v=1&model=olmoe-1b-7b&routing.profile=olmoe&routing.tokensPerDevice=256');
    const bars = await canvasSignature(page, 'Tokens per expert');
    const dropped = await metric(page, 'routing.droppedFraction');
    expect(dropped).toBeGreaterThan(0);

    await page.getByLabel('Capacity factor γ').fill('2');
    await page.getByLabel('Capacity factor γ').press('Enter');
    await expect.poll(() => fragmentOf(page)).toContain('routing.capacityFactor=2');
    await expect.poll(() => metric(page, 'routing.droppedFraction')).toBeLessThan(dropped);
    await expect.poll(() => canvasSignature(page, 'Tokens per expert')).not.toBe(bars);

    await page.getByLabel('Gating').selectOption('expert-choice');
    await expect.poll(() => fragmentOf(page)).toContain('routing.gating=expert-choice');
    await page.getByLabel('Gating').selectOption('softmax-topk-norm');

    await page.getByLabel('Expanded Drop').check();
    await expect.poll(() => fragmentOf(page)).toContain('routing.expandedDrop=true');
    await expect.poll(() => metric(page, 'routing.addedPairs')).toBeGreaterThan(0);

    const heatmap = await canvasSignature(page, 'Load per expert in every MoE layer');
    await page.getByRole('button', { name: 'Step' }).click();
    await expect.poll(() => fragmentOf(page)).toContain('routing.batch=1');
    await expect.poll(() => canvasSignature(page, 'Load per expert in every MoE layer')).not.toBe(heatmap);

    expect(await runAxe(page)).toEqual([]);
    await screenshot(page, 'routing');
    expect(errors).toEqual([]);
    await context.close();
  });

  test('every routing control changes the picture and the link', async () => {
    const { page, context, errors } = await newPage(browser);
    // Reduced motion: the charts jump to their end state, so an unchanged picture has an unchanged signature.
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await openRouting(
      page,
      'v=1&model=deepseek-v2-lite&vision=0.3&routing.tokensPerDevice=128&routing.gating=group-limited&routing.groups=8&routing.topkGroups=4&routing.batch=1',
    );
    const settings = page.locator('.routing__settings');
    const picture = async () =>
      [
        await canvasSignature(page, 'Token flow'),
        await canvasSignature(page, 'Tokens per expert'),
        await canvasSignature(page, 'Load per expert in every MoE layer'),
        await page.locator('.routing__metric-groups').innerText(),
      ].join('|');
    const steps: [label: string, value: string | boolean, inLink: string][] = [
      ['Zipf exponent', '1.2', 'routing.zipfExponent=1.2'],
      ['Router logit spread σ', '0.5', 'routing.noise=0.5'],
      ['Layer correlation ρ', '0.3', 'routing.layerCorrelation=0.3'],
      ['Drift per batch δ', '0.6', 'routing.drift=0.6'],
      ['Vision tokens (fraction)', '0.6', 'vision=0.6'],
      ['Vision-heavy experts (fraction)', '0.5', 'routing.visionExpertFraction=0.5'],
      ['Vision preference', '3', 'routing.visionBias=3'],
      ['Expert groups (n_group) (groups)', '4', 'routing.groups=4'],
      ['Groups kept (topk_group) (groups)', '2', 'routing.topkGroups=2'],
      ['Capacity factor γ', '1.1', 'routing.capacityFactor=1.1'],
      ['Drop policy', 'order', 'routing.dropPolicy=order'],
      ['Expanded Drop', true, 'routing.expandedDrop=true'],
      ['Simulated tokens per device (tokens)', '256', 'routing.tokensPerDevice=256'],
      ['Gating', 'softmax-group-limited', 'routing.gating=softmax-group-limited'],
      ['Gating', 'softmax-topk', 'routing.gating=softmax-topk'],
      // Same experts as softmax top-k on the same draws; only the gate weights (and P_i) differ.
      ['Gating', 'sigmoid-topk-norm', 'routing.gating=sigmoid-topk-norm'],
      ['Expert popularity', 'olmoe', 'routing.profile=olmoe'],
      ['Capacity limit', 'device', 'routing.capacity=device'],
    ];
    for (const [label, value, inLink] of steps) {
      const before = await picture();
      const control = settings.getByLabel(label, { exact: true });
      if (typeof value === 'boolean') await control.setChecked(value);
      else if ((await control.evaluate((element) => element.tagName)) === 'SELECT')
        await control.selectOption(value);
      else {
        await control.fill(value);
        await control.press('Enter');
      }
      await expect.poll(() => fragmentOf(page), { message: label }).toContain(inLink);
      await expect.poll(() => picture(), { message: `${label} changes the picture` }).not.toBe(before);
    }
    expect(errors).toEqual([]);
    await context.close();
  });

  test('the model’s own router is one click away, and the link keeps it', async () => {
    const { page, context, errors } = await newPage(browser);
    await openRouting(page, 'v=1&model=deepseek-v2&routing.tokensPerDevice=128');
    const gating = page.getByRole('group', { name: 'Gating' });
    await expect.poll(() => gating.innerText()).toContain('DeepSeek-V2’s own router');
    const kept = await metric(page, 'routing.keptGateWeight');
    await gating.getByRole('button', { name: 'Use DeepSeek-V2’s router' }).click();
    await expect
      .poll(() => fragmentOf(page))
      .toContain('routing.gating=softmax-group-limited&routing.groups=8&routing.topkGroups=3');
    await expect.poll(() => gating.innerText()).toContain('Gating as DeepSeek-V2 does');
    // V2 does not renormalise its top-6, so the kept weight per token falls well below the renormalised 1.
    await expect.poll(() => metric(page, 'routing.keptGateWeight')).toBeLessThan(kept - 0.1);
    await page.reload();
    await page.waitForSelector('[data-metric="routing.droppedFraction"]', { timeout: 30_000 });
    expect(await page.getByRole('group', { name: 'Gating' }).innerText()).toContain(
      'Gating as DeepSeek-V2 does',
    );
    expect(await page.getByLabel('Gating').inputValue()).toBe('softmax-group-limited');
    expect(await runAxe(page)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('the link reproduces the same numbers, and Play advances batches', async () => {
    const fragment =
      'v=1&model=mixtral-8x7b&routing.profile=zipf&routing.zipfExponent=1.2&routing.dropPolicy=random&routing.batch=3&routing.layer=5';
    const first = await newPage(browser);
    await openRouting(first.page, fragment);
    await first.page.waitForSelector('.routing__batch-metrics [data-metric]');
    // The layer's figures and the whole batch's.
    const values = await shownFigures(first.page);
    // The address the first page shows opens the second straight on the Routing lab, with no click.
    const shared = fragmentOf(first.page);
    expect(shared).toContain('lab=routing');
    const second = await newPage(browser);
    await second.page.goto(`${inject('baseUrl')}#${shared}`);
    await second.page.waitForSelector('[data-metric="routing.droppedFraction"]', { timeout: 30_000 });
    expect(await second.page.getByRole('tab', { name: 'Routing' }).getAttribute('aria-selected')).toBe(
      'true',
    );
    await second.page.waitForSelector('.routing__batch-metrics [data-metric]');
    const again = await shownFigures(second.page);
    expect(again).toEqual(values);
    expect(values.length).toBeGreaterThan(5);
    // The command line computes the same routing metrics for the same link, the whole batch's with --all-layers.
    const cli = JSON.parse(runSim(['--hash', shared, '--all-layers', '--json']).stdout) as {
      metrics: { id: string; value: number }[];
      messages: unknown[];
    };
    expect(cli.messages).toEqual([]);
    const fromCli = cli.metrics
      .filter((each) => each.id.startsWith('routing.'))
      .map((each) => `${each.id}=${each.value}`);
    expect(fromCli).toEqual(values);

    await second.page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(() => fragmentOf(second.page), { timeout: 10_000 }).toContain('routing.batch=4');
    await second.page.getByRole('button', { name: 'Pause' }).click();
    expect(first.errors).toEqual([]);
    expect(second.errors).toEqual([]);
    await first.context.close();
    await second.context.close();
  });

  test('a pool of routing workers gives the numbers one worker and the command line give', async () => {
    const fragment = 'v=1&model=deepseek-v2-lite&routing.tokensPerDevice=256&routing.batch=2&routing.layer=7';
    const figures = async (cores: number) => {
      const opened = await newPage(browser);
      await opened.context.addInitScript((count) => {
        Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => count });
      }, cores);
      const routingWorkers: string[] = [];
      opened.page.on('worker', (worker) => {
        if (worker.url().includes('routingWorker')) routingWorkers.push(worker.url());
      });
      await openRouting(opened.page, fragment);
      await opened.page.waitForSelector('.routing__batch-metrics [data-metric]');
      const values = await shownFigures(opened.page);
      expect(opened.errors).toEqual([]);
      await opened.context.close();
      return { values, workers: routingWorkers.length };
    };
    const single = await figures(1);
    const pooled = await figures(4);
    expect(single.workers).toBe(1);
    expect(pooled.workers).toBe(3);
    expect(pooled.values).toEqual(single.values);
    // The layer's figures and the whole batch's, as Node computes them from the same link.
    const { scenario } = decodeFragment(fragment);
    const step = routeStep(scenario, scenario.routing.batch);
    const fromNode = [
      ...routingMetrics(scenario, step, scenario.routing.layer),
      ...routingSummaryMetrics(scenario, step),
    ];
    expect(pooled.values).toEqual(fromNode.map((each) => `${each.id}=${each.value}`));
  });

  test('a large batch shows its layer for the new settings first, and the batch then agrees with it', async () => {
    const { page, context, errors } = await newPage(browser);
    await openRouting(page, 'v=1&model=deepseek-v3&routing.layer=3');
    await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'), null, {
      timeout: 60_000,
    });
    const field = page.getByLabel(/^Capacity factor/);
    await field.fill('1.5');
    await field.press('Enter');
    // The layer shown is current while the heatmap and the whole batch's figures are still being routed.
    await page.waitForFunction(
      () =>
        document.querySelector('.routing__metrics')?.getAttribute('aria-busy') === 'false' &&
        document.querySelector('.routing__batch-charts')?.getAttribute('aria-busy') === 'true',
      null,
      { timeout: 30_000 },
    );
    const layerIds = await page.$$eval('.routing__metrics [data-metric]', (elements) =>
      elements.map((element) => element.getAttribute('data-metric')!),
    );
    const early = await Promise.all(layerIds.map((id) => metric(page, id)));
    await screenshot(page, 'routing-layer-first');
    await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'), null, {
      timeout: 60_000,
    });
    expect(await Promise.all(layerIds.map((id) => metric(page, id)))).toEqual(early);
    const { scenario } = decodeFragment(fragmentOf(page));
    expect(scenario.routing.capacityFactor).toBe(1.5);
    const fromNode = routingMetrics(scenario, routeStep(scenario, 0, { layers: [3] }), 0);
    expect(early).toEqual(layerIds.map((id) => fromNode.find((each) => each.id === id)?.value));
    expect(errors).toEqual([]);
    await context.close();
  });

  test('an uploaded malformed load file gets a clear message and the current state survives', async () => {
    const { page, context, errors } = await newPage(browser);
    await openRouting(page, 'v=1&model=olmoe-1b-7b&routing.tokensPerDevice=128');
    const before = fragmentOf(page);
    const directory = await mkdtemp(path.join(tmpdir(), 'moe-lab-upload-'));
    const bad = path.join(directory, 'loads.csv');
    await writeFile(bad, '1,2,3\n4,five,6\n');
    await page.locator('input[type="file"]').setInputFiles(bad);
    const alert = page.getByRole('alert').filter({ hasText: /\S/ });
    await expect.poll(() => alert.count()).toBeGreaterThan(0);
    expect((await alert.first().textContent()) ?? '').toMatch(/not a number|columns|experts/);
    await screenshot(page, 'routing-bad-upload');
    expect(fragmentOf(page)).toBe(before);

    const good = path.join(directory, 'olmoe.csv');
    const row = Array.from({ length: 64 }, (_, expert) => (expert === 6 ? 20 : 1)).join(',');
    await writeFile(good, `${row}\n`);
    await page.locator('input[type="file"]').setInputFiles(good);
    await expect.poll(() => fragmentOf(page)).toContain('routing.profile=custom');
    await expect.poll(() => metric(page, 'routing.maxOverMean')).toBeGreaterThan(4);
    expect(errors).toEqual([]);
    await context.close();
  });

  test('on a wide screen the settings stay beside the charts, so a control and its chart are in view together', async () => {
    const { page, context, errors } = await newPage(browser);
    await page.setViewportSize({ width: 1400, height: 900 });
    await openRouting(page, 'v=1&model=olmoe-1b-7b&routing.profile=olmoe&routing.tokensPerDevice=128');
    const chart = page.locator('canvas[aria-label^="Tokens per expert"]');
    const settings = page.locator('.routing__settings');
    const capacity = page.getByLabel('Capacity factor γ');
    await chart.evaluate((element) => element.scrollIntoView({ block: 'center' }));
    await capacity.scrollIntoViewIfNeeded();
    const chartBox = (await chart.boundingBox())!;
    const settingsBox = (await settings.boundingBox())!;
    const capacityBox = (await capacity.boundingBox())!;
    expect(settingsBox.x).toBeGreaterThanOrEqual(chartBox.x + chartBox.width);
    // Sticky: scrolled down to the chart, the settings column still starts at the top of the window.
    expect(settingsBox.y).toBeGreaterThanOrEqual(0);
    expect(settingsBox.y).toBeLessThan(16);
    for (const box of [chartBox, capacityBox]) {
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.y + box.height).toBeLessThanOrEqual(900);
    }
    const bars = await canvasSignature(page, 'Tokens per expert');
    await capacity.fill('2');
    await capacity.press('Enter');
    await expect.poll(() => canvasSignature(page, 'Tokens per expert')).not.toBe(bars);
    expect(await runAxe(page)).toEqual([]);
    await screenshot(page, 'routing-wide');
    // Narrower, the settings follow the figures.
    await page.setViewportSize({ width: 1100, height: 900 });
    await expect
      .poll(async () => (await settings.boundingBox())!.y > (await chart.boundingBox())!.y)
      .toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });
});
