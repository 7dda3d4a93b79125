import { input, type Metric } from '../metric';
import type { Scenario } from '../scenario/types';
import { expertCapacity } from './capacity';
import { estimateQualityCost } from './qualityCost';
import type { LayerRouting, RoutingStep } from './types';

const CAPACITY_AWARE = 'Capacity-Aware Inference (He et al., arXiv 2503.05066)';

/** a / b, or 0 when b is 0: every metric the panel shows must be a finite number. */
function ratio(numerator: number, denominator: number): number {
  return denominator > 0 ? numerator / denominator : 0;
}

/** A layer with nothing routed: stands in when the asked-for layer is missing, so the panel never sees NaN. */
function emptyLayer(experts: number): LayerRouting {
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
    capacity: 0,
  };
}

/** Whether Expanded Drop is in effect: it needs a capacity limit and token-choice routing (routeDevice's rule). */
function expandedDropActive(scenario: Scenario): boolean {
  const { expandedDrop, capacity, gating } = scenario.routing;
  return expandedDrop && capacity !== 'off' && gating !== 'expert-choice';
}

function meanLoadMetric(step: RoutingStep): Metric {
  const tokens = step.devices * step.tokensPerDevice;
  return {
    id: 'routing.meanLoad',
    label: 'Mean load per expert N̄',
    // Capacity-Aware Inference Eq. 3: N̄ = t·k/n.
    value: ratio(tokens * step.topK, step.experts),
    unit: 'tokens',
    formula: 'N̄ = t · k / n,  t = D · T',
    inputs: [
      input('D', 'simulated source devices', step.devices, 'devices'),
      input('T', 'simulated tokens per device', step.tokensPerDevice, 'tokens'),
      input('t', 'simulated tokens', tokens, 'tokens'),
      input('k', 'top-k', step.topK, 'experts'),
      input('n', 'routed experts', step.experts, 'experts'),
    ],
    source: `${CAPACITY_AWARE}, Eq. 3`,
    note:
      step.devices < step.devicesInScenario
        ? `A sample of ${step.devices} of the scenario’s ${step.devicesInScenario} source devices is simulated.`
        : 'Over the simulated tokens of every source device.',
  };
}

function capacityMetric(scenario: Scenario, step: RoutingStep, routing: LayerRouting): Metric {
  const settings = scenario.routing;
  const expertChoice = settings.gating === 'expert-choice';
  // routeStep gives expert choice γ = 1 when the capacity limit is off (each expert takes its balanced share).
  const gamma = expertChoice && settings.capacity === 'off' ? 1 : settings.capacityFactor;
  const inputs = [
    input('γ', 'capacity factor', gamma, ''),
    input('k', 'top-k', step.topK, 'experts'),
    input('T', 'tokens per source device', step.tokensPerDevice, 'tokens'),
    input('E', 'routed experts', step.experts, 'experts'),
  ];
  const source = `${CAPACITY_AWARE}, §3 and code \`_compute_capacity\` (C = ⌈γ·k·T/E⌉)`;
  if (!expertChoice && settings.capacity === 'off') {
    return {
      id: 'routing.capacity',
      label: 'Capacity per expert C',
      value: 0,
      unit: 'tokens',
      formula: 'C: off',
      inputs,
      source,
      note: 'Capacity off: dropless, every routed token-expert pair is computed.',
    };
  }
  const note = expertChoice
    ? 'Expert choice: each expert takes exactly its C highest-probability tokens of each source device.'
    : settings.capacity === 'device'
      ? `Device-level limit (Capacity-Aware §5.2): the ${step.localExperts} experts of a target device share ` +
        `n_l · C = ${step.localExperts * routing.capacity} pairs from each source device.`
      : 'Enforced on each source device’s own tokens before dispatch (Capacity-Aware §4).';
  return {
    id: 'routing.capacity',
    label: 'Capacity per expert C',
    value: routing.capacity,
    unit: 'tokens',
    formula: 'C = ⌈γ · k · T / E⌉ per source device',
    inputs,
    source,
    note,
  };
}

function maxOverMeanMetric(step: RoutingStep, routing: LayerRouting): Metric {
  let maxLoad = 0;
  for (const load of routing.preDropLoad) if (load > maxLoad) maxLoad = load;
  const tokens = step.devices * step.tokensPerDevice;
  const meanLoad = ratio(tokens * step.topK, step.experts);
  return {
    id: 'routing.maxOverMean',
    label: 'Peak expert load / mean',
    // Capacity-Aware Inference Eq. 4–5: latency ∝ max_i N_i, with max_i N_i ∈ [N̄, n·N̄/k].
    value: ratio(maxLoad, meanLoad),
    unit: '',
    formula: 'max_i N_i / N̄',
    inputs: [
      input('max_i N_i', 'busiest expert’s pre-drop load, summed over devices', maxLoad, 'tokens'),
      input('N̄', 'mean load per expert (t·k/n)', meanLoad, 'tokens'),
    ],
    source: `${CAPACITY_AWARE}, Eq. 4–5 (straggler effect)`,
    note: `1 is perfectly balanced; the most it can be is n/k = ${ratio(step.experts, step.topK).toFixed(2)} (Eq. 5).`,
  };
}

function maxDeviceLoadMetric(scenario: Scenario, step: RoutingStep, routing: LayerRouting): Metric {
  const settings = scenario.routing;
  const capacityOff = settings.capacity === 'off' && settings.gating !== 'expert-choice';
  // With the limit off there is no C; compare with the C that γ would set, so the figure shows the would-be overflow.
  const capacity = capacityOff
    ? expertCapacity(settings.capacityFactor, step.topK, step.tokensPerDevice, step.experts)
    : routing.capacity;
  const notes = [
    capacityOff
      ? 'Capacity is off: compared with the C that γ would set (⌈γ·k·T/E⌉); nothing is dropped.'
      : 'Capacity-Aware Eq. 6: with the cap, no expert takes more than C of one device’s tokens (≤ 1).',
  ];
  if (settings.capacity === 'device' && settings.gating !== 'expert-choice')
    notes.push(
      'Device-level limit: the cap is on the sum over a device’s experts, so one expert may exceed C.',
    );
  return {
    id: 'routing.maxDeviceLoadOverCapacity',
    label: 'Largest per-device expert load / C',
    // Capacity-Aware Inference Eq. 6: max N_i ≤ C once the cap is enforced.
    value: ratio(routing.maxDeviceExpertLoadAfter, capacity),
    unit: '',
    formula: 'max_{d,i} N′_{d,i} / C',
    inputs: [
      input(
        'max N′',
        'largest load one source device sends one expert, after the cap',
        routing.maxDeviceExpertLoadAfter,
        'tokens',
      ),
      input('C', 'capacity per expert per device', capacity, 'tokens'),
    ],
    source: `${CAPACITY_AWARE}, Eq. 6`,
    note: notes.join(' '),
  };
}

function cvMetric(routing: LayerRouting): Metric {
  const experts = routing.preDropLoad.length;
  let sum = 0;
  for (const load of routing.preDropLoad) sum += load;
  const mean = ratio(sum, experts);
  let squares = 0;
  for (const load of routing.preDropLoad) squares += (load - mean) * (load - mean);
  const deviation = Math.sqrt(ratio(squares, experts));
  return {
    id: 'routing.cv',
    label: 'Load imbalance (coefficient of variation)',
    // Coefficient of variation, as in Shazeer et al. 2017's importance loss (MoE survey §4.1): CV = σ/μ.
    value: ratio(deviation, mean),
    unit: '',
    formula: 'CV = σ(N_i) / μ(N_i)',
    inputs: [
      input('σ', 'standard deviation of pre-drop per-expert load', deviation, 'tokens'),
      input('μ', 'mean pre-drop per-expert load', mean, 'tokens'),
      input('n', 'routed experts', experts, 'experts'),
    ],
    source: 'Shazeer et al. 2017 (importance loss CV²); MoE survey (Cai et al., TKDE 2025) §4.1',
    note: '0 is perfectly balanced; over pre-drop loads summed over the simulated source devices.',
  };
}

function droppedFractionMetric(scenario: Scenario, routing: LayerRouting): Metric {
  const settings = scenario.routing;
  const device = settings.capacity === 'device' && settings.gating !== 'expert-choice';
  const notes: string[] = [];
  if (settings.gating === 'expert-choice')
    notes.push('Expert choice drops no chosen pair: experts pick tokens.');
  else if (settings.capacity === 'off') notes.push('Capacity off: dropless.');
  if (device)
    notes.push('Device-level limit: N_i and C are per target device (the sum of its experts’ loads, n_l·C).');
  if (expandedDropActive(scenario))
    notes.push('Expanded Drop can displace more pairs than overflow; see the dropped-pairs fraction.');
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

function droppedPairsMetric(routing: LayerRouting): Metric {
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

function tokensWithNoExpertMetric(routing: LayerRouting): Metric {
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

function addedPairsMetric(routing: LayerRouting): Metric {
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

function auxLossMetric(step: RoutingStep, routing: LayerRouting): Metric {
  return {
    id: 'routing.auxLoss',
    label: 'Load-balancing loss (Switch)',
    // Switch Transformer (Fedus et al. 2022) Eq. 4; MoE survey §4.1: L = N · Σ_i f_i · P_i.
    value: routing.auxLoss,
    unit: '',
    formula: 'L_aux = N · Σ_i f_i · P_i',
    inputs: [
      input('N', 'routed experts', step.experts, 'experts'),
      input(
        'Σ f·P',
        'Σ_i dispatch fraction × mean gate probability',
        ratio(routing.auxLoss, step.experts),
        '',
      ),
    ],
    source: 'MoE survey (Cai et al., TKDE 2025) §4.1; Switch Transformer (Fedus et al. 2022) Eq. 4',
    note: 'Minimum 1 when f_i = P_i = 1/N; f_i counts all k choices of each token (common practice).',
  };
}

function zLossMetric(routing: LayerRouting): Metric {
  return {
    id: 'routing.zLoss',
    label: 'Router z-loss (ST-MoE)',
    // ST-MoE (Zoph et al. 2022) Eq. 5; MoE survey §4.1: L_z = (1/B) Σ_j (log Σ_i e^{x_{j,i}})².
    value: routing.zLoss,
    unit: '',
    formula: 'L_z = (1/B) · Σ_j (log Σ_i e^{x_{j,i}})²',
    inputs: [input('B', 'simulated tokens', routing.tokens, 'tokens')],
    source: 'ST-MoE (Zoph et al. 2022) Eq. 5; MoE survey (Cai et al., TKDE 2025) §4.1',
    note: 'Simulated router logits are fixed only up to a constant, so this shows trends, not a trained model’s value.',
  };
}

/**
 * The Routing lab's figures for one MoE layer of a routed batch (`layer` indexes `step.layers`; out of range it is
 * clamped, so a panel mid-update never shows NaN). Each shows its formula, inputs and paper.
 */
export function routingMetrics(scenario: Scenario, step: RoutingStep, layer: number): Metric[] {
  const index = Math.min(Math.max(0, Math.floor(layer)), step.layers.length - 1);
  const routing = step.layers[index] ?? emptyLayer(step.experts);
  const metrics = [
    meanLoadMetric(step),
    capacityMetric(scenario, step, routing),
    maxOverMeanMetric(step, routing),
    maxDeviceLoadMetric(scenario, step, routing),
    cvMetric(routing),
    droppedFractionMetric(scenario, routing),
  ];
  if (expandedDropActive(scenario)) metrics.push(droppedPairsMetric(routing));
  metrics.push(
    tokensWithNoExpertMetric(routing),
    addedPairsMetric(routing),
    auxLossMetric(step, routing),
    zLossMetric(routing),
    estimateQualityCost(scenario.routing),
  );
  return metrics;
}

/** One per-layer metric summarised over the routed layers: the mean (or the worst, for bounds), with the spread. */
function overLayers(perLayer: readonly Metric[], how: 'mean' | 'max'): Metric {
  const first = perLayer[0];
  if (!first) throw new Error('overLayers needs at least one layer');
  const values = perLayer.map((metric) => metric.value);
  const lowest = Math.min(...values);
  const highest = Math.max(...values);
  const value = how === 'max' ? highest : values.reduce((sum, item) => sum + item, 0) / values.length;
  return {
    ...first,
    label: `${first.label} (${how === 'max' ? 'worst' : 'mean'} of ${values.length} layers)`,
    value,
    formula: `${how === 'max' ? 'max' : 'mean'} over layers ℓ of [${first.formula}]`,
    inputs: [
      input('L', 'routed MoE layers', values.length, 'layers'),
      input('min_ℓ', 'lowest layer value', lowest, first.unit),
      input('max_ℓ', 'highest layer value', highest, first.unit),
    ],
  };
}

/** Sums the pair and token counts of every routed layer, so pooled fractions weigh each pair once. */
function pooledLayer(step: RoutingStep): LayerRouting {
  const pooled = emptyLayer(step.experts);
  for (const layer of step.layers) {
    pooled.overflowPairs += layer.overflowPairs;
    pooled.routedPairs += layer.routedPairs;
    pooled.keptPairs += layer.keptPairs;
    pooled.droppedPairs += layer.droppedPairs;
    pooled.addedPairs += layer.addedPairs;
    pooled.tokensWithNoExpert += layer.tokensWithNoExpert;
    pooled.tokens += layer.tokens;
  }
  return pooled;
}

function pooledOverLayers(metric: Metric, layers: number): Metric {
  return {
    ...metric,
    label: `${metric.label} (all ${layers} layers)`,
    formula: `${metric.formula}, counts summed over layers`,
  };
}

/**
 * The same figures for the whole batch: fractions pool every routed layer's pairs (for token choice every layer
 * routes the same t·k pairs, so the pooled DT is the mean DT), imbalance and losses are averaged over layers, and
 * the capacity bound shows the worst layer.
 */
export function routingSummaryMetrics(scenario: Scenario, step: RoutingStep): Metric[] {
  if (step.layers.length === 0) return routingMetrics(scenario, step, 0);
  const perLayer = step.layers.map((_, layer) => routingMetrics(scenario, step, layer));
  const layerCount = step.layers.length;
  const pooled = pooledLayer(step);
  const byId = (id: string) =>
    perLayer.map((metrics) => metrics.find((metric) => metric.id === id) as Metric);
  const first = perLayer[0] ?? [];
  return first.map((metric) => {
    switch (metric.id) {
      case 'routing.maxOverMean':
      case 'routing.cv':
      case 'routing.auxLoss':
      case 'routing.zLoss':
        return overLayers(byId(metric.id), 'mean');
      case 'routing.maxDeviceLoadOverCapacity':
        return overLayers(byId(metric.id), 'max');
      case 'routing.droppedFraction':
        return pooledOverLayers(droppedFractionMetric(scenario, pooled), layerCount);
      case 'routing.droppedPairsFraction':
        return pooledOverLayers(droppedPairsMetric(pooled), layerCount);
      case 'routing.tokensWithNoExpert':
        return pooledOverLayers(tokensWithNoExpertMetric(pooled), layerCount);
      case 'routing.addedPairs':
        return pooledOverLayers(addedPairsMetric(pooled), layerCount);
      default:
        // N̄, C and the quality estimate are the same for every layer.
        return metric;
    }
  });
}
