import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { launchBrowser, newPage } from './browser.ts';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

test('the built app loads with a title and no console errors', async () => {
  const { page, context, errors } = await newPage(browser);
  // networkidle: give the app's scripts time to run, so late errors are caught too.
  await page.goto(inject('baseUrl'), { waitUntil: 'networkidle' });
  expect((await page.title()).trim()).not.toBe('');
  expect(errors).toEqual([]);
  await context.close();
});
