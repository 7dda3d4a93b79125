import type { Scenario } from '../scenario/types';
import type { LayerRouting } from './types';

// What the Routing lab's metric builders share.

export const CAPACITY_AWARE = 'Capacity-Aware Inference (He et al., arXiv 2503.05066)';

/** a / b, or 0 when b is 0: every metric the panel shows must be a finite number. */
export function ratio(numerator: number, denominator: number): number {
  return denominator > 0 ? numerator / denominator : 0;
}

/** A layer with nothing routed: stands in when the asked-for layer is missing, so the panel never sees NaN. */
export function emptyLayer(experts: number): LayerRouting {
  return {
    preDropLoad: new Int32Array(experts),
    keptLoad: new Int32Array(experts),
    preDropFlow: new Int32Array(0),
    keptFlow: new Int32Array(0),
    maxDeviceExpertLoadBefore: 0,
    maxDeviceExpertLoadAfter: 0,
    overflowPairs: 0,
    routedPairs: 0,
    keptPairs: 0,
    droppedPairs: 0,
    addedPairs: 0,
    tokensWithNoExpert: 0,
    tokens: 0,
    auxLoss: 0,
    zLoss: 0,
    routedGateWeight: 0,
    keptGateWeight: 0,
    droppedGateWeight: 0,
    capacity: 0,
  };
}

/** Whether Expanded Drop is in effect: it needs a capacity limit and token-choice routing (routeDevice's rule). */
export function expandedDropActive(scenario: Scenario): boolean {
  const { expandedDrop, capacity, gating } = scenario.routing;
  return expandedDrop && capacity !== 'off' && gating !== 'expert-choice';
}
