import { formatValue } from '../format';
import { input, type Metric } from '../metric';
import type { Scenario } from '../scenario/types';
import { renormalisesTopK } from './gatingKinds';
import { CAPACITY_AWARE, expandedDropActive, ratio } from './metricSupport';
import type { LayerRouting } from './types';

// Gate weight: what each kept expert's output is multiplied by when a token's outputs are combined, so what a drop
// really costs a token (MoE survey §4.1: F(x) = Σ_i G(x)_i · E_i(x)). Pair counts treat every pair alike; the weight
// shows whether the dropped pairs were light or heavy ones, which is not settled by the policy alone (dropNote).

const COMBINE_SOURCE = 'MoE survey (Cai et al., TKDE 2025) §4.1: F(x) = Σ_i G(x)_i · E_i(x)';

/**
 * Why the share of gate weight dropped need not follow the share of pairs dropped, then which way it went here.
 * Score-based dropping keeps each overflowing expert's highest scores, but compares scores only within that expert
 * (Capacity-Aware §4); the experts that overflow are the popular ones, whose pairs carry high gate weights. So the
 * dropped pairs can outweigh the average pair (Zipf s = 1.2 on the defaults: 33% of the weight for 31.5% of the pairs)
 * as well as underweigh it (s = 0.5: 5.9% for 8.4%, each overflowing expert losing its weakest pairs).
 */
function dropNote(scenario: Scenario, routing: LayerRouting): string {
  const settings = scenario.routing;
  const byScore = settings.dropPolicy === 'score' || expandedDropActive(scenario);
  const which = expandedDropActive(scenario) ? ' (the dropped top-k pairs)' : ' (DT)';
  const why = byScore
    ? 'Score-based dropping keeps each overflowing expert’s highest scores, but compares scores only within that expert; the experts that overflow are the popular ones, whose pairs carry high gate weights, so the weight dropped can be a larger share than the pairs dropped, or a smaller one.'
    : 'This policy drops pairs without looking at their scores; the experts that overflow are the popular ones, whose pairs carry high gate weights, so the weight dropped can be a larger share than the pairs dropped.';
  if (routing.droppedPairs === 0) return `Nothing dropped here. ${why}`;
  const pairShare = ratio(routing.droppedPairs, routing.routedPairs);
  const weightShare = ratio(routing.droppedGateWeight, routing.routedGateWeight);
  const weighed =
    Math.abs(weightShare - pairShare) < 0.0005
      ? 'as much as'
      : weightShare > pairShare
        ? 'more than'
        : 'less than';
  return (
    `${why} Here ${formatValue(weightShare, 'fraction')} of the weight went with ${formatValue(pairShare, 'fraction')} ` +
    `of the pairs${which}: the dropped pairs weighed ${weighed} the average routed pair.`
  );
}

export function droppedGateWeightMetric(scenario: Scenario, routing: LayerRouting): Metric {
  const settings = scenario.routing;
  const note =
    settings.gating === 'expert-choice'
      ? 'Expert choice drops no chosen pair: experts pick tokens.'
      : settings.capacity === 'off'
        ? 'Capacity off: dropless.'
        : dropNote(scenario, routing);
  return {
    id: 'routing.droppedGateWeight',
    label: 'Gate weight dropped',
    // Capacity-Aware Inference §4: a dropped pair's expert output is missing from the token's weighted sum.
    value: ratio(routing.droppedGateWeight, routing.routedGateWeight),
    unit: 'fraction',
    formula: 'Σ G (dropped top-k pairs) / Σ G (top-k pairs)',
    inputs: [
      input('Σ G dropped', 'gate weight of the dropped top-k pairs', routing.droppedGateWeight, ''),
      input('Σ G', 'gate weight of every top-k pair', routing.routedGateWeight, ''),
    ],
    source: `${CAPACITY_AWARE}, §4 (score-based drop); ${COMBINE_SOURCE}`,
    note,
  };
}

export function keptGateWeightMetric(scenario: Scenario, routing: LayerRouting): Metric {
  const gating = scenario.routing.gating;
  const gatingNote =
    gating === 'hash'
      ? 'Hash routing has no router weights: each of the k experts counts 1/k.'
      : gating === 'expert-choice'
        ? 'Expert choice weights each chosen token by its router probability; a token may have none or many experts.'
        : renormalisesTopK(gating)
          ? 'Renormalised: each token’s top-k weights sum to 1, so anything below 1 was dropped.'
          : 'Not renormalised: the top-k carry only their share of the router’s probability, even with nothing dropped.';
  const note = expandedDropActive(scenario)
    ? `${gatingNote} Expanded Drop’s added local experts bring their own weight, so a token can keep more than its top-k had.`
    : gatingNote;
  return {
    id: 'routing.keptGateWeight',
    label: 'Gate weight kept per token',
    // Σ over kept pairs of the gate weight G (renormalised or not, by the gating), over the simulated tokens.
    value: ratio(routing.keptGateWeight, routing.tokens),
    unit: '',
    formula: 'Σ G (kept pairs) / t',
    inputs: [
      input(
        'Σ G kept',
        'gate weight of the kept pairs (Expanded Drop’s included)',
        routing.keptGateWeight,
        '',
      ),
      input('t', 'simulated tokens', routing.tokens, 'tokens'),
    ],
    source: `${COMBINE_SOURCE}; Softmax(TopK(·)) renormalises (Shazeer et al. 2017), TopK(Softmax(·)) does not (MoC-System Eq. 2)`,
    note,
  };
}
