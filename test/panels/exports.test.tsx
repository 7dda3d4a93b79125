import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { checkpointTraceJson } from '../../src/core/checkpoint/checkpointTrace';
import { checkpointCosts } from '../../src/core/checkpoint/costs';
import { simulateRun } from '../../src/core/checkpoint/run';
import { decodeFragment, encodeFragment } from '../../src/core/scenario/shareLink';
import { REVOKE_URL_AFTER_MS, downloadText } from '../../src/panels/common/download';
import { parseCsv } from '../core/support/csv';
import { renderApp } from './renderApp';

interface Download {
  fileName: string;
  blob: Blob;
}

/** jsdom has no object URLs and cannot follow a download link: record what would have been saved instead. */
function captureDownloads(): Download[] {
  const blobs = new Map<string, Blob>();
  const downloads: Download[] = [];
  let next = 0;
  vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
    next += 1;
    const url = `blob:moe-lab/${next}`;
    blobs.set(url, blob as Blob);
    return url;
  });
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    const blob = blobs.get(this.href);
    if (!blob) throw new Error(`no blob behind ${this.href}`);
    downloads.push({ fileName: this.download, blob });
  });
  return downloads;
}

/** The text of a captured download (jsdom's Blob may lack text(); FileReader it has). */
function blobText(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('unreadable blob'));
    reader.readAsText(blob);
  });
}

/** A canonical link (keys in the codec's order), so the exports' links are this text exactly. */
const RUN_FRAGMENT =
  'v=1&dp=16&checkpoint.mtbfHours=2&checkpoint.totalIterations=2000&checkpoint.viewIteration=1000&lab=checkpointing';

let downloads: Download[];
beforeEach(() => {
  downloads = captureDownloads();
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('downloadText', () => {
  it('clicks a temporary download link to a Blob of the text, removes it, and revokes the URL later', async () => {
    vi.useFakeTimers();
    try {
      downloadText('figures.csv', 'a,b\r\n', 'text/csv');
      expect(downloads).toEqual([{ fileName: 'figures.csv', blob: expect.any(Blob) }]);
      expect(downloads[0]?.blob.type).toBe('text/csv;charset=utf-8');
      expect(document.querySelector('a[download]')).toBeNull();
      expect(URL.revokeObjectURL).not.toHaveBeenCalled();
      vi.advanceTimersByTime(REVOKE_URL_AFTER_MS);
      expect(URL.revokeObjectURL).toHaveBeenCalledWith('blob:moe-lab/1');
    } finally {
      vi.useRealTimers();
    }
    expect(await blobText(downloads[0]!.blob)).toBe('a,b\r\n');
  });
});

describe('Checkpointing exports', () => {
  it('exports the run as the same Chrome trace the core builds for the link, from the keyboard', async () => {
    const user = userEvent.setup();
    renderApp(`#${RUN_FRAGMENT}`);
    const button = screen.getByRole('button', { name: 'Export trace (Perfetto)' });
    // While the run is simulated there is nothing to export, and the button says why.
    expect(button).toBeDisabled();
    expect(button).toHaveAccessibleDescription('Simulating the run…');
    await waitFor(() => expect(button).toBeEnabled(), { timeout: 10_000 });
    button.focus();
    await user.keyboard('{Enter}');
    expect(downloads.map((each) => each.fileName)).toEqual(['moe-lab-checkpoint-run.trace.json']);
    const text = await blobText(downloads[0]!.blob);
    const trace = JSON.parse(text) as {
      traceEvents: { ph: string; name: string }[];
      metadata: { link: string };
    };
    expect(trace.traceEvents.some((event) => event.ph === 'X' && event.name === 'Training')).toBe(true);
    expect(trace.traceEvents.some((event) => event.ph === 'i' && event.name.startsWith('Fault'))).toBe(true);
    // Byte for byte what the core (and so `sim --trace`) gives for this link.
    const { scenario } = decodeFragment(RUN_FRAGMENT);
    const run = simulateRun(scenario, checkpointCosts(scenario));
    expect(text).toBe(
      checkpointTraceJson({ scenario, run, link: encodeFragment(scenario, { lab: 'checkpointing' }) }),
    );
    expect(trace.metadata.link).toBe(`#${encodeFragment(scenario, { lab: 'checkpointing' })}`);
    expect(await screen.findByText('Downloaded moe-lab-checkpoint-run.trace.json.')).toBeInTheDocument();
  });

  it('downloads every figure the lab shows, per checkpoint and over the run, as CSV and JSON', async () => {
    const user = userEvent.setup();
    renderApp(`#${RUN_FRAGMENT}`);
    const group = screen.getByRole('group', { name: 'Download the Checkpointing metrics' });
    const csvButton = within(group).getByRole('button', { name: 'Download metrics as CSV' });
    expect(csvButton).toHaveAccessibleDescription('Simulating the run…');
    await waitFor(() => expect(csvButton).toBeEnabled(), { timeout: 10_000 });
    const shown = Array.from(
      document.querySelectorAll('.checkpointing__metrics [data-metric]'),
      (element) => [
        element.getAttribute('data-metric'),
        element.querySelector('[data-value]')?.getAttribute('data-value'),
      ],
    );
    expect(shown.some(([id]) => id === 'checkpoint.run.plt')).toBe(true);

    await user.click(csvButton);
    await user.click(within(group).getByRole('button', { name: 'Download metrics as JSON' }));
    expect(downloads.map((each) => each.fileName)).toEqual([
      'moe-lab-checkpointing-metrics.csv',
      'moe-lab-checkpointing-metrics.json',
    ]);
    const [header, ...rows] = parseCsv(await blobText(downloads[0]!.blob));
    expect(header?.slice(0, 6)).toEqual(['id', 'label', 'value', 'unit', 'formula', 'source']);
    // Every figure on screen, at full precision, each row naming the link.
    expect(rows.map((row) => [row[0], row[2]])).toEqual(shown);
    expect(new Set(rows.map((row) => row.at(-1)))).toEqual(new Set([`#${RUN_FRAGMENT}`]));
    const document_ = JSON.parse(await blobText(downloads[1]!.blob)) as {
      lab: string;
      link: string;
      metrics: { id: string; inputs: unknown[] }[];
    };
    expect(document_.lab).toBe('Checkpointing');
    expect(document_.link).toBe(`#${RUN_FRAGMENT}`);
    expect(document_.metrics.map((metric) => metric.id)).toEqual(shown.map(([id]) => id));
    expect(document_.metrics.every((metric) => Array.isArray(metric.inputs))).toBe(true);
  });
});

describe('Routing exports', () => {
  it('downloads the layer shown and the whole batch as CSV and JSON', async () => {
    const user = userEvent.setup();
    renderApp('#v=1&routing.tokensPerDevice=128&lab=routing');
    const group = await screen.findByRole(
      'group',
      { name: 'Download the Routing metrics' },
      { timeout: 10_000 },
    );
    const csvButton = within(group).getByRole('button', { name: 'Download metrics as CSV' });
    await waitFor(() => expect(csvButton).toBeEnabled(), { timeout: 10_000 });
    await waitFor(() => expect(document.querySelector('[data-metric^="routing.batch."]')).not.toBeNull());
    const shown = Array.from(document.querySelectorAll('.routing__metric-groups [data-metric]'), (element) =>
      element.getAttribute('data-metric'),
    );
    await user.click(csvButton);
    await user.click(within(group).getByRole('button', { name: 'Download metrics as JSON' }));
    expect(downloads.map((each) => each.fileName)).toEqual([
      'moe-lab-routing-metrics.csv',
      'moe-lab-routing-metrics.json',
    ]);
    const [, ...rows] = parseCsv(await blobText(downloads[0]!.blob));
    expect(rows.map((row) => row[0])).toEqual(shown);
    const dropped = rows.find((row) => row[0] === 'routing.droppedFraction');
    expect(dropped?.[2]).toBe(
      document
        .querySelector('[data-metric="routing.droppedFraction"] [data-value]')
        ?.getAttribute('data-value'),
    );
    const json = JSON.parse(await blobText(downloads[1]!.blob)) as {
      link: string;
      metrics: { id: string }[];
    };
    expect(json.link).toBe('#v=1&routing.tokensPerDevice=128&lab=routing');
    expect(json.metrics.map((metric) => metric.id)).toEqual(shown);
  });
});
