import { tokensOnBusiestRank } from '../metrics/tokens';
import type { Scenario } from '../scenario/types';

/**
 * Whether the workload switches the capacity limit off: decode steps carry one token per sequence, and Capacity-Aware
 * Inference caps only prefill (its code: `if sequence_length == 1 ... expert_capacity = None`, papers.md §3.1), so token
 * choice routes decode steps dropless. Expert choice is its own gating rule and keeps its C.
 */
export function decodesWithoutCapacity(scenario: Scenario): boolean {
  return scenario.workload.mode === 'decode' && scenario.routing.gating !== 'expert-choice';
}

/** The scenario as routing sees it: in decode, token choice runs with the capacity limit off (decodesWithoutCapacity). */
export function routingInForce(scenario: Scenario): Scenario {
  return decodesWithoutCapacity(scenario) && scenario.routing.capacity !== 'off'
    ? { ...scenario, routing: { ...scenario.routing, capacity: 'off' } }
    : scenario;
}

/**
 * Tokens each simulated source device routes: the Simulated tokens setting (a sample of the step), or the step's own
 * tokens on a rank when it has fewer (a decode step of 8 sequences on 8 ranks routes 1 token per rank, not 1,024).
 */
export function simulatedTokensPerDevice(scenario: Scenario): number {
  return Math.max(1, Math.min(scenario.routing.tokensPerDevice, tokensOnBusiestRank(scenario)));
}

/** Whether a device-level limit is in force: token choice with the capacity per device, outside decode. */
export function deviceLevelCapacity(scenario: Scenario): boolean {
  const routing = routingInForce(scenario).routing;
  return routing.capacity === 'device' && routing.gating !== 'expert-choice';
}
