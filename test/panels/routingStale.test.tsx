import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { routeStep } from '../../src/core';
import type * as RoutingClientModule from '../../src/state/routingClient';
import type { RoutingClient } from '../../src/state/routingClient';
import { joinRoutedParts, type RoutedBatch } from '../../src/state/routingRequest';
import { renderApp } from './renderApp';

/** Routing that answers the first request at once and holds every later one until the test releases it. */
const held: (() => void)[] = [];
let answered = 0;
const gatedClient: RoutingClient = {
  route: (scenario, step) => {
    const answer = () => joinRoutedParts(scenario, [routeStep(scenario, step)]);
    answered += 1;
    if (answered === 1) return Promise.resolve(answer());
    return new Promise<RoutedBatch | null>((resolve) => held.push(() => resolve(answer())));
  },
  dispose: () => undefined,
};

vi.mock('../../src/state/routingClient', async (importOriginal) => ({
  ...(await importOriginal<typeof RoutingClientModule>()),
  createRoutingClient: () => gatedClient,
}));

afterEach(() => {
  held.length = 0;
  answered = 0;
});

describe('Routing panel while a new result is computed', () => {
  it('marks the old figures busy and dimmed, and says it is updating, until the new ones arrive', async () => {
    const user = userEvent.setup();
    renderApp('#v=1&lab=routing&routing.tokensPerDevice=64');
    const layerMetrics = await screen.findByRole('region', { name: 'MoE layer 0, batch 0' });
    const figures = layerMetrics.parentElement!;
    const charts = document.querySelector('.routing__charts')!;
    expect(figures).toHaveAttribute('aria-busy', 'false');
    expect(charts).not.toHaveClass('routing--stale');

    await user.selectOptions(screen.getByLabelText('Gating'), 'expert-choice');
    expect(figures).toHaveAttribute('aria-busy', 'true');
    expect(figures).toHaveClass('routing--stale');
    expect(charts).toHaveAttribute('aria-busy', 'true');
    expect(charts).toHaveClass('routing--stale');
    expect(screen.getByText(/^Batch 0/)).toHaveTextContent('Batch 0: Updating…');

    for (const release of held) release();
    await waitFor(() => expect(figures).toHaveAttribute('aria-busy', 'false'));
    expect(charts).not.toHaveClass('routing--stale');
    expect(screen.getByText(/^Batch 0/)).toHaveTextContent(/^Batch 0$/);
  });
});
