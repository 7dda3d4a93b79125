import { input, type Metric } from '../metric';
import type { Scenario } from '../scenario/types';
import { deviceLevelCapacity } from './inForce';
import { CAPACITY_AWARE, expandedDropActive, ratio } from './metricSupport';
import type { LayerRouting } from './types';

// What capacity drops: the Routing lab's dropped-token figures (Capacity-Aware Inference Eq. 11, Alg. 1-2).

/**
 * DT. `inflatedBySample`: the simulated tokens per device are few enough that chance alone overflows C noticeably
 * more than the step's own tokens would (chanceOverflow.ts), which the note then says.
 */
export function droppedFractionMetric(
  scenario: Scenario,
  routing: LayerRouting,
  inflatedBySample = false,
): Metric {
  const settings = scenario.routing;
  const device = deviceLevelCapacity(scenario);
  const notes: string[] = [];
  if (settings.gating === 'expert-choice')
    notes.push('Expert choice drops no chosen pair: experts pick tokens.');
  else if (settings.capacity === 'off') notes.push('Capacity off: dropless.');
  if (device)
    notes.push('Device-level limit: N_i and C are per target device (the sum of its experts’ loads, n_l·C).');
  if (expandedDropActive(scenario))
    notes.push('Expanded Drop can displace more pairs than overflow; see the dropped-pairs fraction.');
  if (inflatedBySample)
    notes.push(
      'Each device routes a sample of its tokens, few enough that chance alone overflows C more than the full step would (see Overflow a balanced router gets by chance): raise Simulated tokens per device to shrink that part.',
    );
  return {
    id: 'routing.droppedFraction',
    label: 'Dropped tokens DT',
    // Capacity-Aware Inference Eq. 11: DT = Σ_i ReLU(N_i − C) / Σ_i N_i, per source device and summed.
    value: ratio(routing.overflowPairs, routing.routedPairs),
    unit: 'fraction',
    formula: 'DT = Σ_d Σ_i max(0, N_{d,i} − C) / Σ_d Σ_i N_{d,i}',
    inputs: [
      input('Σ max(0, N − C)', 'pairs over capacity (pre-drop counts)', routing.overflowPairs, 'pairs'),
      input('Σ N', 'routed token-expert pairs', routing.routedPairs, 'pairs'),
    ],
    source: `${CAPACITY_AWARE}, Eq. 11`,
    ...(notes.length > 0 ? { note: notes.join(' ') } : {}),
  };
}

export function droppedPairsMetric(routing: LayerRouting): Metric {
  return {
    id: 'routing.droppedPairsFraction',
    label: 'Dropped top-k pairs (Expanded Drop)',
    // Capacity-Aware Alg. 2: a top-k pair is lost when a local expert's higher-scoring added pair displaces it.
    value: ratio(routing.droppedPairs, routing.routedPairs),
    unit: 'fraction',
    formula: '(Σ N − kept top-k pairs) / Σ N',
    inputs: [
      input('dropped', 'top-k pairs not computed', routing.droppedPairs, 'pairs'),
      input('Σ N', 'routed token-expert pairs', routing.routedPairs, 'pairs'),
    ],
    source: `${CAPACITY_AWARE}, Alg. 2 (Expanded Drop)`,
    note: 'Added local pairs compete for the same C slots, so this can exceed DT (Eq. 11).',
  };
}

export function tokensWithNoExpertMetric(routing: LayerRouting): Metric {
  return {
    id: 'routing.tokensWithNoExpert',
    label: 'Tokens with no routed expert',
    // A token whose every pair was dropped skips the layer's experts (Capacity-Aware §3.2; the residual carries it).
    value: ratio(routing.tokensWithNoExpert, routing.tokens),
    unit: 'fraction',
    formula: 'tokens with no kept pair / t',
    inputs: [
      input('t₀', 'tokens with no kept pair', routing.tokensWithNoExpert, 'tokens'),
      input('t', 'simulated tokens', routing.tokens, 'tokens'),
    ],
    source: `${CAPACITY_AWARE}, §3.2 (dropped tokens pass through on the residual stream)`,
  };
}

export function addedPairsMetric(routing: LayerRouting): Metric {
  return {
    id: 'routing.addedPairs',
    label: 'Pairs added by Expanded Drop',
    // Capacity-Aware Alg. 2: kept pairs to local experts beyond each token's top-k.
    value: ratio(routing.addedPairs, routing.routedPairs),
    unit: 'fraction',
    formula: 'added local pairs kept / Σ N',
    inputs: [
      input('added', 'kept pairs beyond the top-k', routing.addedPairs, 'pairs'),
      input('Σ N', 'routed token-expert pairs', routing.routedPairs, 'pairs'),
    ],
    source: `${CAPACITY_AWARE}, Alg. 2 (Expanded Drop)`,
    note: 'A token may end with more than k experts; the paper does not cap this (Table 11).',
  };
}
