import { renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { decodeFragment, routeStep, type Scenario } from '../../src/core';
import { useRoutingSimulation } from '../../src/panels/routing/useRoutingSimulation';
import type { RoutingClient } from '../../src/state/routingClient';
import { joinRoutedParts } from '../../src/state/routingRequest';

/** A routing client that answers at once, as the core does, and records which batches it was asked for. */
function recordingClient() {
  const asked: { batch: number; capacityFactor: number }[] = [];
  const client: RoutingClient = {
    route: (scenario, step) => {
      asked.push({ batch: step, capacityFactor: scenario.routing.capacityFactor });
      return Promise.resolve(joinRoutedParts(scenario, [routeStep(scenario, step)]));
    },
    dispose: () => undefined,
  };
  return { client, asked };
}

const base = decodeFragment('v=1&model=olmoe-1b-7b&model.layers=2&routing.tokensPerDevice=32').scenario;

function atBatch(
  scenario: Scenario,
  batch: number,
  capacityFactor = scenario.routing.capacityFactor,
): Scenario {
  return { ...scenario, routing: { ...scenario.routing, batch, capacityFactor } };
}

describe('useRoutingSimulation', () => {
  it('routes each batch once when not playing', async () => {
    const { client, asked } = recordingClient();
    const { result, rerender } = renderHook(
      ({ scenario }) => useRoutingSimulation(scenario, null, false, () => client),
      { initialProps: { scenario: base } },
    );
    await waitFor(() => expect(result.current.computing).toBe(false));
    expect(result.current.current?.step).toBe(0);
    rerender({ scenario: atBatch(base, 1) });
    await waitFor(() => expect(result.current.current?.step).toBe(1));
    expect(asked.map((each) => each.batch)).toEqual([0, 1]);
  });

  it('while playing, routes the next batch as soon as one arrives, and uses it when Play moves on', async () => {
    const { client, asked } = recordingClient();
    const { result, rerender } = renderHook(
      ({ scenario }) => useRoutingSimulation(scenario, null, true, () => client),
      { initialProps: { scenario: base } },
    );
    await waitFor(() => expect(asked.map((each) => each.batch)).toEqual([0, 1]));
    expect(result.current.current?.step).toBe(0);
    rerender({ scenario: atBatch(base, 1) });
    await waitFor(() => expect(result.current.current?.step).toBe(1));
    expect(result.current.previous?.step).toBe(0);
    // Batch 1 came from the prefetch; its arrival started batch 2.
    await waitFor(() => expect(asked.map((each) => each.batch)).toEqual([0, 1, 2]));
    expect(result.current.current).toEqual(routeStep(atBatch(base, 1), 1));
  });

  it('does not use a prefetched batch for a scenario that changed in another way', async () => {
    const { client, asked } = recordingClient();
    const { result, rerender } = renderHook(
      ({ scenario }) => useRoutingSimulation(scenario, null, true, () => client),
      { initialProps: { scenario: base } },
    );
    await waitFor(() => expect(asked).toHaveLength(2));
    rerender({ scenario: atBatch(base, 1, 2) });
    await waitFor(() => expect(result.current.current?.step).toBe(1));
    expect(asked[2]).toEqual({ batch: 1, capacityFactor: 2 });
    expect(result.current.current).toEqual(routeStep(atBatch(base, 1, 2), 1));
  });
});
