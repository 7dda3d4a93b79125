import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeFragment, routeStep } from '../../src/core';
import { formatMetric } from '../../src/core/format';
import { routingMetrics } from '../../src/core/routing/metrics';
import type * as RoutingClientModule from '../../src/state/routingClient';
import type { RoutingClient } from '../../src/state/routingClient';
import { joinRoutedParts, worthPreviewing, type RoutedBatch } from '../../src/state/routingRequest';
import { renderApp } from './renderApp';

/**
 * Routing that answers the first batch at once and holds every later one until the test releases it; the layer shown
 * (routeLayer) is answered at once when `previewing`, or never.
 */
const held: (() => void)[] = [];
let answered = 0;
let previewing = false;
const layersAsked: number[] = [];
const gatedClient: RoutingClient = {
  route: (scenario, step) => {
    const answer = () => joinRoutedParts(scenario, [routeStep(scenario, step)]);
    answered += 1;
    if (answered === 1) return Promise.resolve(answer());
    return new Promise<RoutedBatch | null>((resolve) => held.push(() => resolve(answer())));
  },
  routeLayer: (scenario, step, _loads, layer) => {
    layersAsked.push(layer);
    return previewing
      ? Promise.resolve(routeStep(scenario, step, { layers: [layer] }))
      : new Promise(() => {});
  },
  dispose: () => undefined,
};

vi.mock('../../src/state/routingClient', async (importOriginal) => ({
  ...(await importOriginal<typeof RoutingClientModule>()),
  createRoutingClient: () => gatedClient,
}));

afterEach(() => {
  held.length = 0;
  layersAsked.length = 0;
  answered = 0;
  previewing = false;
});

const busy = (element: Element) => expect(element).toHaveAttribute('aria-busy', 'true');
const notBusy = (element: Element) => expect(element).toHaveAttribute('aria-busy', 'false');

describe('Routing panel while a new result is computed', () => {
  it('marks the old figures busy and dimmed, and says it is updating, until the new ones arrive', async () => {
    const user = userEvent.setup();
    renderApp('#v=1&lab=routing&routing.tokensPerDevice=64');
    const layerMetrics = await screen.findByRole('region', { name: 'MoE layer 0, batch 0' });
    const layerCharts = document.querySelector('.routing__layer-charts')!;
    const batchCharts = document.querySelector('.routing__batch-charts')!;
    for (const element of [layerMetrics, layerCharts, batchCharts]) {
      notBusy(element);
      expect(element).not.toHaveClass('routing--stale');
    }

    await user.selectOptions(screen.getByLabelText('Gating'), 'expert-choice');
    for (const element of [layerMetrics, layerCharts, batchCharts]) {
      busy(element);
      expect(element).toHaveClass('routing--stale');
    }
    expect(screen.getByText(/^Batch 0/)).toHaveTextContent('Batch 0: Updating…');
    // Mixtral's batch is small: its layer shown is not routed on its own.
    expect(layersAsked).toEqual([]);

    for (const release of held) release();
    await waitFor(() => notBusy(layerMetrics));
    expect(layerCharts).not.toHaveClass('routing--stale');
    expect(batchCharts).not.toHaveClass('routing--stale');
    expect(screen.getByText(/^Batch 0/)).toHaveTextContent(/^Batch 0$/);
  });

  it('shows a large batch’s layer for the new settings first, while the heatmap and whole-batch figures wait', async () => {
    const link = 'v=1&lab=routing&model=olmoe-1b-7b&dp=64&batch=64&seq=512&routing.tokensPerDevice=512';
    expect(worthPreviewing(decodeFragment(link).scenario)).toBe(true);
    previewing = true;
    const user = userEvent.setup();
    const { store } = renderApp(`#${link}`);
    const layerMetrics = await screen.findByRole('region', { name: 'MoE layer 0, batch 0' });
    const batchMetrics = await screen.findByRole('region', { name: /^Whole batch 0/ });
    const layerCharts = document.querySelector('.routing__layer-charts')!;
    const batchCharts = document.querySelector('.routing__batch-charts')!;

    await user.selectOptions(screen.getByLabelText('Drop policy'), 'order');
    await waitFor(() => notBusy(layerMetrics));
    // Once for the first batch, once for this one.
    expect(layersAsked).toEqual([0, 0]);
    // The layer's figures are those of the new settings, exactly as the whole batch will give them.
    const scenario = store.getState().scenario;
    const expected = routingMetrics(scenario, routeStep(scenario, 0, { layers: [0] }), 0).find(
      (metric) => metric.id === 'routing.keptGateWeight',
    )!;
    expect(within(layerMetrics).getByText(formatMetric(expected))).toBeInTheDocument();
    expect(layerCharts).not.toHaveClass('routing--stale');
    notBusy(layerCharts);
    busy(batchCharts);
    busy(batchMetrics);
    expect(batchCharts).toHaveClass('routing--stale');
    expect(screen.getByText(/^Batch 0/)).toHaveTextContent('Batch 0: Updating…');

    act(() => {
      for (const release of held) release();
    });
    await waitFor(() => notBusy(batchMetrics));
    notBusy(batchCharts);
    notBusy(layerMetrics);
    expect(within(layerMetrics).getByText(formatMetric(expected))).toBeInTheDocument();
  });
});
