import { launchBrowser } from '../support/chromium.ts';
import { startPreview } from '../support/preview.ts';
import { buildOnce } from './build.ts';
import { median, progress, type Benchmark } from './types.ts';

export const FIRST_RENDER_TARGET_MS = 1000;
const SAMPLES = 5;
const MARK = 'moe-lab:first-render';

/**
 * Time from navigation start to the app's first render, on a cold cache (fresh context per sample).
 * Contract with the app: after its first render it calls performance.mark('moe-lab:first-render') and
 * then sets document.documentElement.dataset.ready = 'true'.
 */
async function run() {
  await buildOnce();
  const server = await startPreview();
  const browser = await launchBrowser();
  try {
    const samplesMs: number[] = [];
    for (let i = 1; i <= SAMPLES; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(server.url);
      await page.waitForSelector('html[data-ready="true"]', { state: 'attached', timeout: 30_000 });
      const startTime = await page.evaluate(
        (mark) => performance.getEntriesByName(mark)[0]?.startTime ?? null,
        MARK,
      );
      await context.close();
      if (startTime === null) throw new Error(`the app set data-ready but never marked '${MARK}'`);
      samplesMs.push(Math.round(startTime * 10) / 10);
      progress(`firstRender sample ${i}/${SAMPLES}: ${samplesMs.at(-1)} ms`);
    }
    const medianMs = median(samplesMs);
    return {
      samplesMs,
      medianMs,
      targetMs: FIRST_RENDER_TARGET_MS,
      meetsTarget: medianMs <= FIRST_RENDER_TARGET_MS,
    };
  } finally {
    await browser.close();
    await server.stop();
  }
}

export const firstRender: Benchmark = { name: 'firstRender', run };
