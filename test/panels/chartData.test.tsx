import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { CheckpointTimeline } from '../../src/charts/CheckpointTimeline';
import { ExpertLoadBars } from '../../src/charts/ExpertLoadBars';
import { LineChart } from '../../src/charts/LineChart';
import { LoadHeatmap } from '../../src/charts/LoadHeatmap';
import { RankBars } from '../../src/charts/RankBars';
import { TokenFlow } from '../../src/charts/TokenFlow';
import type { RunEvent } from '../../src/core/checkpoint/runTypes';

/** Opens the chart's "Show the data" and reads the table captioned `caption`, as text per cell. */
async function tableRows(caption: RegExp): Promise<string[][]> {
  const details = screen.getByText('Show the data').closest('details');
  if (details && !details.open) fireEvent.click(screen.getByText('Show the data'));
  const table = await screen.findByRole('table', { name: caption });
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) => Array.from(row.children, (cell) => cell.textContent ?? ''));
}

const PLT_POINTS = [
  { x: 0, y: 0 },
  { x: 1200, y: 0.01 },
  { x: 15000, y: 0.025 },
];

describe('chart data alternatives', () => {
  it('describes the per-rank bars: the bottleneck against the mean and the lightest rank, then the busiest', async () => {
    render(
      <RankBars
        title="Bytes each rank saves"
        values={new Float64Array([40, 10, 10, 20])}
        bottleneckRank={0}
        formatValue={(value) => `${value} GB`}
      />,
    );
    const bars = screen.getByRole('img', { name: /^Bytes each rank saves/ });
    expect(bars).toHaveAccessibleDescription(
      '4 ranks. Rank 0 is the bottleneck with 40 GB, 2× the mean (20 GB); the lightest, rank 1, has 10 GB.',
    );
    expect(await tableRows(/The 4 busiest of 4 ranks/)).toEqual([
      ['0', '40 GB', '2× the mean'],
      ['3', '20 GB', '1× the mean'],
      ['1', '10 GB', '0.5× the mean'],
      ['2', '10 GB', '0.5× the mean'],
    ]);
  });

  it('describes the per-expert bars: the mean, experts over capacity, and the busiest with kept and dropped pairs', async () => {
    // 10 experts, mean 1,000; capacity line 1,200: experts 3 and 7 overflow.
    const preDrop = new Int32Array([900, 800, 1100, 2500, 700, 600, 1000, 1600, 500, 300]);
    const kept = preDrop.map((value) => Math.min(value, 1200));
    render(
      <ExpertLoadBars
        loads={{ preDrop, kept }}
        previous={null}
        capacityLine={1200}
        capacityLabel="8 × C"
        capacityExplanation="capacity"
        showAdded={false}
        meanLoad={1000}
        reducedMotion
        label="Tokens per expert"
      />,
    );
    const bars = screen.getByRole('img', { name: /^Tokens per expert/ });
    expect(bars).toHaveAccessibleDescription(
      'Mean N̄ = 1,000 pairs per expert. Busiest: expert 3 with 2,500 pairs before the limit (2.5× N̄). 2 of 10 experts are above the capacity line 8 × C = 1,200 pairs; 1,700 pairs dropped in all.',
    );
    expect(screen.getByText('Show the data')).toBeInTheDocument();
    const rows = await tableRows(/The 8 busiest of 10 experts/);
    expect(rows).toHaveLength(8);
    expect(rows[0]).toEqual(['3', '2,500 pairs (2.5× N̄)', '1,200 pairs', '1,300 pairs']);
    expect(rows[1]).toEqual(['7', '1,600 pairs (1.6× N̄)', '1,200 pairs', '400 pairs']);
  });

  it('names the GPUs under a device-level limit, and how many are over the line on their mean', async () => {
    const preDrop = new Int32Array([3000, 100, 1000, 1000]);
    render(
      <ExpertLoadBars
        loads={{ preDrop, kept: preDrop }}
        previous={null}
        capacityLine={1200}
        capacityLabel="2 × C"
        capacityExplanation="capacity"
        expertsPerDevice={2}
        showAdded={false}
        meanLoad={1275}
        reducedMotion
        label="Tokens per expert"
      />,
    );
    expect(screen.getByRole('img', { name: /^Tokens per expert/ })).toHaveAccessibleDescription(
      /2 experts together: 1 of 2 GPUs has a mean load per expert above the line\.$/,
    );
    expect((await tableRows(/All 4 experts, busiest first/))[0]).toEqual([
      '0',
      '0',
      '3,000 pairs (2.35× N̄)',
      '3,000 pairs',
      '0 pairs',
    ]);
  });

  it('lists the busiest device→expert flows of the token flow', async () => {
    // 2 devices × 3 experts; device 1 → expert 2 is the busiest, and 40 of its pairs are dropped.
    const preDropFlow = new Int32Array([10, 20, 30, 5, 15, 100]);
    const keptFlow = new Int32Array([10, 20, 30, 5, 15, 60]);
    render(
      <TokenFlow
        preDropFlow={preDropFlow}
        keptFlow={keptFlow}
        devices={2}
        experts={3}
        animate={false}
        seed={1}
        label="Token flow"
      />,
    );
    expect(screen.getByRole('img', { name: /^Token flow/ })).toHaveAccessibleDescription(
      /^180 pairs from 2 devices to 3 experts, 40 pairs of them dropped .* Busiest flow: device 1 to expert 2, 100 pairs/,
    );
    expect((await tableRows(/All 6 device→expert flows/))[0]).toEqual([
      'device 1 → expert 2',
      '100 pairs',
      '60 pairs',
      '40 pairs',
    ]);
  });

  it('names the hottest layer × expert cells and each layer’s peak in the heatmap', async () => {
    const layers = [new Int32Array([1, 2, 9]), new Int32Array([3, 2, 1]), new Int32Array([0, 0, 6])];
    render(
      <LoadHeatmap layers={layers} meanLoad={3} focusLayer={0} onSelectLayer={() => {}} label="Loads" />,
    );
    expect(screen.getByRole('img', { name: /^Loads/ })).toHaveAccessibleDescription(
      'Highest load: layer 0, expert 2, 3× N̄ (9 pairs). Expert 2 has the layer’s highest load in 2 of 3 layers.',
    );
    expect((await tableRows(/highest of 9 cells/)).slice(0, 2)).toEqual([
      ['0', '2', '3× N̄ (9 pairs)'],
      ['2', '2', '2× N̄ (6 pairs)'],
    ]);
    expect(await tableRows(/Each layer’s peak/)).toEqual([
      ['0', '2', '3× N̄ (9 pairs)'],
      ['1', '0', '1× N̄ (3 pairs)'],
      ['2', '2', '2× N̄ (6 pairs)'],
    ]);
  });

  it('counts the timeline’s faults, rollbacks and stalls and lists the first faults', async () => {
    const event = (
      kind: RunEvent['kind'],
      startIteration: number,
      endIteration: number,
      startSeconds: number,
    ) => ({
      kind,
      startIteration,
      endIteration,
      startSeconds,
      durationSeconds: kind === 'checkpoint' ? 2 : 0,
      node: 3,
    });
    const events: RunEvent[] = [
      event('checkpoint', 100, 100, 100),
      event('checkpoint', 200, 200, 202),
      event('fault', 250, 250, 260),
      event('rollback', 250, 200, 260),
      event('checkpoint', 1300, 1300, 1400),
    ];
    render(
      <CheckpointTimeline
        events={events}
        faultSeconds={[260]}
        fromSeconds={0}
        toSeconds={2000}
        nowSeconds={50}
        label="Run"
      />,
    );
    expect(screen.getByRole('img', { name: /^Run/ })).toHaveAccessibleDescription(
      'From 0 s to 33.3 min of wall-clock time: 1 fault and 1 rollback, 50 iterations redone; 3 checkpoints, 3 of them stalling training for 6 s in all (the first after iterations 100, 200 and 1,300).',
    );
    expect(await tableRows(/The fault/)).toEqual([['260 s', '3', '250', '200']]);
  });

  it('counts every fault of the run, also those past the ones whose bars the events keep', async () => {
    const events: RunEvent[] = [
      {
        kind: 'fault',
        startIteration: 250,
        endIteration: 250,
        startSeconds: 260,
        durationSeconds: 0,
        node: 0,
      },
      {
        kind: 'rollback',
        startIteration: 250,
        endIteration: 200,
        startSeconds: 260,
        durationSeconds: 0,
        node: 0,
      },
    ];
    render(
      <CheckpointTimeline
        events={events}
        faultSeconds={[260, 900, 1500]}
        fromSeconds={0}
        toSeconds={2000}
        nowSeconds={50}
        label="Run"
      />,
    );
    expect(screen.getByRole('img', { name: /^Run/ })).toHaveAccessibleDescription(
      /^From 0 s to 33\.3 min of wall-clock time: 3 faults, the first 1 with their rollbacks kept/,
    );
    expect(await tableRows(/The first 1 of 3 faults/)).toEqual([['260 s', '0', '250', '200']]);
  });

  it('gives a step series’ changes, such as PLT at each fault', async () => {
    render(
      <LineChart
        title="PLT over the run"
        series={[
          {
            id: 'plt',
            label: 'PLT',
            steps: true,
            points: [
              { x: 0, y: 0 },
              { x: 1200, y: 0.01 },
              { x: 15000, y: 0.025 },
            ],
          },
        ]}
        xLabel="iteration"
        yLabel="PLT"
        formatX={(value) => value.toLocaleString('en')}
        formatY={(value) => `${value * 100}%`}
        references={[{ axis: 'y', value: 0.05, label: 'threshold 5%' }]}
      />,
    );
    expect(screen.getByRole('img', { name: /^PLT over the run/ })).toHaveAccessibleDescription(
      'PLT changes 2 times, from 0% at iteration 0 to 2.5% at iteration 15,000. Reference line: threshold 5%.',
    );
    expect(await tableRows(/PLT: every change/)).toEqual([
      ['1,200', '1%'],
      ['15,000', '2.5%'],
    ]);
  });

  it('labels a log x axis at 1, 2 and 5 times each power of ten', () => {
    const { container } = render(
      <LineChart
        title="Overhead against the interval"
        series={[
          {
            id: 'overhead',
            label: 'overhead',
            points: [
              { x: 1, y: 0.01 },
              { x: 500, y: 0.16 },
            ],
          },
        ]}
        xLabel="interval"
        yLabel="overhead"
        logX
        formatX={(value) => String(value)}
        formatY={(value) => `${value * 100}%`}
      />,
    );
    const ticks = Array.from(container.querySelectorAll('text.line-chart__tick'), (text) => text.textContent);
    expect(ticks.filter((tick) => !tick?.includes('%'))).toEqual([
      '1',
      '2',
      '5',
      '10',
      '20',
      '50',
      '100',
      '200',
      '500',
    ]);
  });

  it('lists the events marked on the x axis, in the description and a table of every one, or says there were none', async () => {
    const chart = (items: { x: number; label: string; description?: string }[]) => (
      <LineChart
        title="PLT over the run"
        series={[{ id: 'plt', label: 'PLT', steps: true, points: PLT_POINTS }]}
        xLabel="iteration"
        yLabel="PLT"
        formatX={(value) => value.toLocaleString('en')}
        formatY={(value) => `${value * 100}%`}
        xEvents={{ name: 'Dynamic K doublings', column: 'doubled', items }}
      />
    );
    const { rerender } = render(
      chart([
        { x: 1100, label: 'K 4→8', description: 'K 4→8 and K_persist 1→2' },
        { x: 1400, label: 'K_persist 2→4' },
      ]),
    );
    const image = () => screen.getByRole('img', { name: /^PLT over the run/ });
    expect(image()).toHaveAccessibleDescription(
      'PLT changes 2 times, from 0% at iteration 0 to 2.5% at iteration 15,000. Dynamic K doublings: K 4→8 and K_persist 1→2 at iteration 1,100; K_persist 2→4 at iteration 1,400.',
    );
    // On the chart: the short labels, one tick each.
    const labels = Array.from(
      document.querySelectorAll('.line-chart__event-label'),
      (text) => text.textContent,
    );
    expect(labels).toEqual(['K 4→8', 'K_persist 2→4']);
    expect(document.querySelectorAll('line.line-chart__event')).toHaveLength(2);
    expect(await tableRows(/Dynamic K doublings/)).toEqual([
      ['1,100', 'K 4→8 and K_persist 1→2'],
      ['1,400', 'K_persist 2→4'],
    ]);
    rerender(chart([]));
    expect(image()).toHaveAccessibleDescription(
      'PLT changes 2 times, from 0% at iteration 0 to 2.5% at iteration 15,000. Dynamic K doublings: none.',
    );
    expect(document.querySelectorAll('.line-chart__event-label')).toHaveLength(0);
  });
});
