import { input, type Metric, type MetricInput } from '../metric';
import type { DropPolicy, RoutingSettings } from './types';

/** OLMoE-Instruct average accuracy over 8 tasks with no capacity limit (Capacity-Aware Inference, Table 1). */
export const TABLE1_BASELINE_ACCURACY = 64.0;

/** The capacity factors Table 1 sweeps, ascending. */
export const TABLE1_CAPACITY_FACTORS = [1.0, 1.5, 2.0] as const;

/**
 * OLMoE-Instruct average accuracy (8 tasks) per Token Drop policy at γ = 1.0, 1.5, 2.0
 * (Capacity-Aware Inference, He et al., arXiv 2503.05066, Table 1).
 */
export const TABLE1_ACCURACY: Readonly<Record<DropPolicy, readonly [number, number, number]>> = {
  order: [51.8, 55.1, 60.8],
  reverse: [52.0, 56.0, 60.8],
  random: [53.1, 59.1, 61.3],
  score: [61.1, 63.1, 64.0],
};

/**
 * OLMoE-Instruct average accuracy (9 tasks, γ = 2.0) for baseline, Token Drop and Expanded Drop
 * (Capacity-Aware Inference, Table 2): Expanded Drop loses 0.3 points where Token Drop loses 1.2.
 */
export const TABLE2_OLMOE = { baseline: 63.5, tokenDrop: 62.3, expandedDrop: 63.2 } as const;

const SOURCE = 'Capacity-Aware Inference (He et al., arXiv 2503.05066), Table 1 (OLMoE, avg of 8 tasks)';
const LABEL = 'Accuracy cost (estimate)';
const CALIBRATION_NOTE =
  'An estimate: interpolated from one model (OLMoE-Instruct, 64 experts, top-8) on 8 tasks; other models, ' +
  'gatings and workloads may lose more or less.';

/** Points lost at each of Table 1's capacity factors for one policy: baseline − accuracy. */
function table1Costs(policy: DropPolicy): [number, number, number] {
  const [low, middle, high] = TABLE1_ACCURACY[policy];
  return [TABLE1_BASELINE_ACCURACY - low, TABLE1_BASELINE_ACCURACY - middle, TABLE1_BASELINE_ACCURACY - high];
}

function notEstimated(reason: string, settings: RoutingSettings): Metric {
  return {
    id: 'routing.qualityCost',
    label: LABEL,
    value: 0,
    unit: 'points',
    formula: 'Δacc: no estimate',
    inputs: [input('γ', 'capacity factor', settings.capacityFactor, '')],
    source: SOURCE,
    note: reason,
    shown: 'not estimated',
  };
}

/**
 * Average-accuracy points lost to capacity-limited routing: an ESTIMATE read off Capacity-Aware Inference Table 1
 * by linear interpolation in γ (piecewise between the paper's 1.0, 1.5 and 2.0), because the app cannot run the
 * model's tasks. Expanded Drop scales the Score cost by Table 2's ratio; outside the paper's γ range it says so.
 * Given the routed batch's dropped pairs, a batch that dropped none costs nothing: Table 1's figure is what OLMoE's
 * skew loses at that γ, not what any capacity limit costs whatever it drops.
 */
export function estimateQualityCost(settings: RoutingSettings, droppedPairs?: number): Metric {
  if (settings.gating === 'expert-choice') {
    return notEstimated(
      'Expert-choice routing: no calibration in the papers; not estimated. Tokens that no expert ' +
        'picks skip the layer, which costs accuracy the papers do not measure for this setting.',
      settings,
    );
  }
  if (settings.capacity === 'off') {
    return {
      id: 'routing.qualityCost',
      label: LABEL,
      value: 0,
      unit: 'points',
      formula: 'Δacc = 0 (no capacity limit)',
      inputs: [input('γ', 'capacity factor (unused)', settings.capacityFactor, '')],
      source: SOURCE,
      note: 'Capacity off: dropless, so no token-expert pair is dropped and nothing is lost to capacity.',
    };
  }
  if (settings.gating === 'hash') {
    return notEstimated(
      'Hash routing with a capacity limit: no calibration in the papers; not estimated.',
      settings,
    );
  }

  if (droppedPairs === 0) {
    return {
      id: 'routing.qualityCost',
      label: LABEL,
      value: 0,
      unit: 'points',
      formula: 'Δacc = 0 (no token-expert pair dropped)',
      inputs: [
        input('γ', 'capacity factor', settings.capacityFactor, ''),
        input('dropped', 'token-expert pairs dropped', 0, 'pairs'),
      ],
      source: SOURCE,
      note:
        'No pair went over capacity in this batch, so the limit cost nothing here. Table 1’s cost at this γ is ' +
        'what OLMoE’s skewed router loses; a less skewed router may drop nothing.',
    };
  }
  // Expanded Drop always keeps by score (Alg. 2), whatever the Token Drop policy setting says.
  const policy: DropPolicy = settings.expandedDrop ? 'score' : settings.dropPolicy;
  const costs = table1Costs(policy);
  const [gammaLow, gammaMiddle, gammaHigh] = TABLE1_CAPACITY_FACTORS;
  const gamma = settings.capacityFactor;
  const notes: string[] = [
    CALIBRATION_NOTE +
      ' It is read off γ for OLMoE’s skew, so it does not grow or shrink with how much this batch drops.',
  ];
  // The bracketing pair of Table 1 points; below 1.0 the 1.0–1.5 segment is extended, above 2.0 held.
  const upperSegment = gamma > gammaMiddle;
  const gamma1 = upperSegment ? gammaMiddle : gammaLow;
  const gamma2 = upperSegment ? gammaHigh : gammaMiddle;
  const cost1 = upperSegment ? costs[1] : costs[0];
  const cost2 = upperSegment ? costs[2] : costs[1];
  const gammaUsed = Math.min(gamma, gammaHigh);
  if (gamma < gammaLow) {
    notes.push(
      `γ = ${gamma} is below the paper's range (1.0–2.0): extrapolated linearly from the 1.0–1.5 segment, so ` +
        'treat it as a rough guess.',
    );
  } else if (gamma > gammaHigh) {
    notes.push(`γ = ${gamma} is above the paper's range (1.0–2.0): the γ = 2.0 value is used.`);
  }
  // Linear interpolation between Table 1 points (Capacity-Aware Table 1): Δ(γ) = (1 − w)·Δ₁ + w·Δ₂,
  // w = (γ − γ₁)/(γ₂ − γ₁); this form returns the table's own figures exactly at w = 0 and w = 1.
  const weight = (gammaUsed - gamma1) / (gamma2 - gamma1);
  const interpolated = (1 - weight) * cost1 + weight * cost2;
  const tokenDropCost = Math.min(TABLE1_BASELINE_ACCURACY, Math.max(0, interpolated));
  const inputs: MetricInput[] = [
    input('γ', 'capacity factor', gamma, ''),
    input('γ₁', 'lower Table 1 capacity factor', gamma1, ''),
    input('γ₂', 'upper Table 1 capacity factor', gamma2, ''),
    input('Δ₁', `${policy} drop cost at γ₁ (Table 1)`, cost1, 'points'),
    input('Δ₂', `${policy} drop cost at γ₂ (Table 1)`, cost2, 'points'),
  ];
  let value = tokenDropCost;
  let formula = 'Δacc = Δ₁ + (γ − γ₁) · (Δ₂ − Δ₁) / (γ₂ − γ₁)';
  let source = SOURCE;
  if (settings.expandedDrop) {
    // Expanded Drop's loss relative to Token Drop's on OLMoE (Capacity-Aware Table 2): (63.5 − 63.2)/(63.5 − 62.3).
    const ratio =
      (TABLE2_OLMOE.baseline - TABLE2_OLMOE.expandedDrop) / (TABLE2_OLMOE.baseline - TABLE2_OLMOE.tokenDrop);
    value = tokenDropCost * ratio;
    formula = 'Δacc = r · (Δ₁ + (γ − γ₁) · (Δ₂ − Δ₁) / (γ₂ − γ₁)),  r = Δ_expanded / Δ_token';
    inputs.push(input('r', 'Expanded/Token Drop cost ratio on OLMoE (Table 2)', ratio, ''));
    source = `${SOURCE}; Table 2 (OLMoE: Expanded Drop 63.5→63.2 vs Token Drop 63.5→62.3)`;
    notes.push('Expanded Drop: the Score cost scaled by Table 2’s OLMoE ratio 0.3/1.2.');
  }
  if (settings.capacity === 'device') {
    notes.push(
      'Device-level capacity: the expert-level estimate is used as an upper bound; the paper (§5.2) finds ' +
        'device-level limits cost less (Qwen3-MoE: device γ = 1.0 loses 0.8 points, expert γ = 1.5 loses 1.7).',
    );
  }
  return {
    id: 'routing.qualityCost',
    label: LABEL,
    value,
    unit: 'points',
    formula,
    inputs,
    source,
    note: notes.join(' '),
  };
}
