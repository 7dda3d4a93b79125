import { input, type Metric } from '../metric';
import { formatValue, plural } from '../format';
import type { Scenario } from '../scenario/types';
import { expertCapacity } from './capacity';
import { chanceOverflowMetric, chanceOverflowOf } from './chanceOverflow';
import { olmoeReferenceDropFractions } from './dropCalibration';
import { estimateQualityCost } from './qualityCost';
import {
  addedPairsMetric,
  droppedFractionMetric,
  droppedPairsMetric,
  tokensWithNoExpertMetric,
} from './dropMetrics';
import { droppedGateWeightMetric, keptGateWeightMetric } from './gateWeightMetrics';
import { CAPACITY_AWARE, emptyLayer, expandedDropActive, ratio } from './metricSupport';
import { deviceLevelCapacity, routingInForce } from './inForce';
import { describeProfileMapping, olmoeProfileMapping } from './measuredProfile';
import type { LayerRouting, RoutingStep } from './types';

/**
 * N̄, the mean load per expert. Token choice routes t·k pairs (Capacity-Aware Eq. 3: N̄ = t·k/n). Expert choice has no
 * k per token: each expert takes C tokens of each source device, so the experts share D·C each, not t·k/n; the load
 * the bars and the peak/mean ratio compare with is then that measured mean (Σ_i N_i / n = D·C).
 */
export function meanExpertLoad(scenario: Scenario, step: RoutingStep, routing: LayerRouting): number {
  if (scenario.routing.gating === 'expert-choice') {
    let total = 0;
    for (const load of routing.preDropLoad) total += load;
    return ratio(total, step.experts);
  }
  return ratio(step.devices * step.tokensPerDevice * step.topK, step.experts);
}

function meanLoadMetric(scenario: Scenario, step: RoutingStep, routing: LayerRouting): Metric {
  const expertChoice = scenario.routing.gating === 'expert-choice';
  const sampled =
    step.devices < step.devicesInScenario
      ? `A sample of ${step.devices} of the scenario’s ${step.devicesInScenario} source devices is simulated.`
      : 'Over the simulated tokens of every source device (T per device, the Simulated tokens setting); the Summary’s N̄ is over the whole step.';
  // Token choice: Capacity-Aware Inference Eq. 3, N̄ = t·k/n. Expert choice: the measured mean, D·C (meanExpertLoad).
  const working = expertChoice
    ? {
        formula: 'N̄ = Σ_i N_i / n = D · C',
        inputs: [
          input('D', 'simulated source devices', step.devices, 'devices'),
          input('C', 'tokens each expert takes from each source device', routing.capacity, 'tokens'),
          input('n', 'routed experts', step.experts, 'experts'),
        ],
        source: 'Expert choice (Zhou et al. 2022) §3.1; MoE survey (Cai et al., TKDE 2025) §4.1',
        note: 'Expert choice: every expert takes the same C tokens from each device, so N̄ is D·C rather than t·k/n (there is no k per token).',
      }
    : {
        formula: 'N̄ = t · k / n,  t = D · T',
        inputs: [
          input('D', 'simulated source devices', step.devices, 'devices'),
          input('T', 'simulated tokens per device', step.tokensPerDevice, 'tokens'),
          input('t', 'simulated tokens', step.devices * step.tokensPerDevice, 'tokens'),
          input('k', 'top-k', step.topK, 'experts'),
          input('n', 'routed experts', step.experts, 'experts'),
        ],
        source: `${CAPACITY_AWARE}, Eq. 3`,
        note: sampled,
      };
  return {
    id: 'routing.meanLoad',
    // Not the Summary's N̄, which is over the whole step's tokens: this one is over the tokens the lab routes.
    label: 'Mean load per expert N̄, simulated tokens',
    value: meanExpertLoad(scenario, step, routing),
    unit: 'tokens',
    ...working,
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
    // Dropless: no C is enforced. Showing 0 read as "a capacity of 0"; the C γ would set is what the load is compared
    // with below, so that is the figure, labelled as not enforced.
    return {
      id: 'routing.capacity',
      label: 'Capacity C that γ would set (off: dropless)',
      value: expertCapacity(settings.capacityFactor, step.topK, step.tokensPerDevice, step.experts),
      unit: 'tokens',
      formula: 'C = ⌈γ · k · T / E⌉ per source device, not enforced',
      inputs,
      source,
      note: 'Capacity off: dropless, every routed token-expert pair is computed; C is only a yardstick here.',
    };
  }
  const note = expertChoice
    ? 'Expert choice: each expert takes exactly its C highest-probability tokens of each source device.'
    : settings.capacity === 'device'
      ? `Device-level limit (Capacity-Aware §5.2): the ${plural(step.localExperts, 'expert')} of a target device ` +
        `${step.localExperts === 1 ? 'takes' : 'share'} n_l · C = ${step.localExperts * routing.capacity} pairs from each source device.`
      : 'Enforced on each source device’s own tokens before dispatch (Capacity-Aware §4).';
  return {
    id: 'routing.capacity',
    label: 'Capacity per expert, per source device C',
    value: routing.capacity,
    unit: 'tokens',
    formula: 'C = ⌈γ · k · T / E⌉ per source device',
    inputs,
    source,
    note,
  };
}

function maxOverMeanMetric(scenario: Scenario, step: RoutingStep, routing: LayerRouting): Metric {
  let maxLoad = 0;
  for (const load of routing.preDropLoad) if (load > maxLoad) maxLoad = load;
  const meanLoad = meanExpertLoad(scenario, step, routing);
  const expertChoice = scenario.routing.gating === 'expert-choice';
  // The measured OLMoE profile on a model with another expert count: say how it was mapped and what it asks for.
  const mapping = scenario.routing.profile === 'olmoe' ? olmoeProfileMapping(step.experts) : null;
  const ceiling = ratio(step.experts, step.topK);
  const bound = `1 is perfectly balanced; the most it can be is n/k = ${ceiling.toFixed(2)} (Eq. 5).`;
  const value = ratio(maxLoad, meanLoad);
  // Within 1% of n/k, (nearly) every token already picks the busiest expert: more skew cannot show here.
  const atCeiling = !expertChoice && ceiling > 1 && value >= 0.99 * ceiling;
  const ceilingNote = atCeiling
    ? ' At the ceiling (nearly) every token picks the busiest expert: the popularity asks for more than a top-k router can give one expert, so more skew changes nothing here.'
    : '';
  return {
    id: 'routing.maxOverMean',
    label: 'Peak expert load / mean',
    // Capacity-Aware Inference Eq. 4–5: latency ∝ max_i N_i, with max_i N_i ∈ [N̄, n·N̄/k].
    value,
    unit: '',
    formula: 'max_i N_i / N̄',
    inputs: [
      input('max_i N_i', 'busiest expert’s pre-drop load, summed over devices', maxLoad, 'tokens'),
      input(
        'N̄',
        expertChoice ? 'mean load per expert (D·C)' : 'mean load per expert (t·k/n)',
        meanLoad,
        'tokens',
      ),
      ...(mapping
        ? [
            input(
              'n·p_max',
              `the busiest expert’s share of the OLMoE profile mapped onto ${mapping.experts} experts, times n`,
              mapping.peakOverMean,
              '',
            ),
          ]
        : []),
    ],
    source: `${CAPACITY_AWARE}, Eq. 4–5 (straggler effect)`,
    note: (mapping ? `${bound} ${describeProfileMapping(mapping)}` : bound) + ceilingNote,
    ...(atCeiling ? { flag: `at its ceiling n/k = ${formatValue(ceiling, '')}` } : {}),
  };
}

/**
 * The busiest expert after the limit, over the mean: what the MoE layer waits for once the cap has dropped the
 * overflow (Capacity-Aware Eq. 4 and 6: latency ∝ max_i N_i, and the cap holds each device's share of an expert to C).
 * Beside the pre-drop peak it shows what the cap buys against the straggler; the dropped fraction shows what it costs.
 */
function keptMaxOverMeanMetric(scenario: Scenario, step: RoutingStep, routing: LayerRouting): Metric {
  let maxKept = 0;
  for (const load of routing.keptLoad) if (load > maxKept) maxKept = load;
  const meanLoad = meanExpertLoad(scenario, step, routing);
  const settings = scenario.routing;
  const perExpertCap = settings.capacity === 'expert' && settings.gating !== 'expert-choice';
  const capOverMean = ratio(step.devices * routing.capacity, meanLoad);
  const note = perExpertCap
    ? `The limit holds each device’s share of an expert to C, so this is at most D·C/N̄ = ${formatValue(capOverMean, '')}, about γ (Eq. 6); before the limit it is Peak expert load / mean.`
    : settings.gating === 'expert-choice'
      ? 'Expert choice: every expert takes exactly C tokens per device, so this is 1.'
      : settings.capacity === 'device'
        ? 'Under a device-level limit one expert may take more than C, as long as its device’s experts together stay within n_l·C.'
        : 'Capacity is off (dropless): nothing is dropped, so this equals Peak expert load / mean.';
  return {
    id: 'routing.keptMaxOverMean',
    label: 'Peak expert load / mean, after the limit',
    value: ratio(maxKept, meanLoad),
    unit: '',
    formula: 'max_i N_i^kept / N̄',
    inputs: [
      input('max_i N_i^kept', 'busiest expert’s computed load, summed over devices', maxKept, 'tokens'),
      input('N̄', 'mean load per expert', meanLoad, 'tokens'),
      ...(perExpertCap
        ? [
            input('D', 'simulated source devices', step.devices, 'devices'),
            input('C', 'capacity per expert per source device', routing.capacity, 'tokens'),
          ]
        : []),
    ],
    source: `${CAPACITY_AWARE}, Eq. 4 and 6 (the straggler after the cap)`,
    note,
  };
}

function maxDeviceLoadMetric(scenario: Scenario, step: RoutingStep, routing: LayerRouting): Metric {
  const settings = scenario.routing;
  const capacityOff = settings.capacity === 'off' && settings.gating !== 'expert-choice';
  // With the limit off there is no C; compare with the C that γ would set, so the figure shows the would-be overflow.
  const capacity = capacityOff
    ? expertCapacity(settings.capacityFactor, step.topK, step.tokensPerDevice, step.experts)
    : routing.capacity;
  // Before the cap: after it the figure is 1 whenever anything overflows (Eq. 6), which shows the cap holds but not
  // how far the busiest expert overshot it. Both are inputs, so the bound can still be read off.
  const notes = [
    capacityOff
      ? 'Capacity is off: compared with the C that γ would set (⌈γ·k·T/E⌉); nothing is dropped.'
      : `Above 1, one device sent its busiest expert more than C; the cap trims that to ${routing.maxDeviceExpertLoadAfter} ≤ C (Capacity-Aware Eq. 6).`,
  ];
  if (deviceLevelCapacity(scenario))
    notes.push(
      'Device-level limit: the cap is on the sum over a device’s experts, so one expert may exceed C.',
    );
  return {
    id: 'routing.maxDeviceLoadOverCapacity',
    label: 'Busiest per-device expert load / C, before the cap',
    // Capacity-Aware Inference Eq. 6: max N_i ≤ C once the cap is enforced; this is how far above it the load was.
    value: ratio(routing.maxDeviceExpertLoadBefore, capacity),
    unit: '',
    formula: 'max_{d,i} N_{d,i} / C',
    inputs: [
      input(
        'max N',
        'largest load one source device sends one expert, before the cap',
        routing.maxDeviceExpertLoadBefore,
        'tokens',
      ),
      input('max N′', 'the same after the cap (≤ C)', routing.maxDeviceExpertLoadAfter, 'tokens'),
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
    // Coefficient of variation of the load in tokens; Shazeer et al. 2017's balancing losses are CV² of importance
    // (summed gates) and of load (MoE survey §4.1): CV = σ/μ.
    value: ratio(deviation, mean),
    unit: '',
    formula: 'CV = σ(N_i) / μ(N_i)',
    inputs: [
      input('σ', 'standard deviation of pre-drop per-expert load', deviation, 'tokens'),
      input('μ', 'mean pre-drop per-expert load', mean, 'tokens'),
      input('n', 'routed experts', experts, 'experts'),
    ],
    source:
      'Shazeer et al. 2017 (CV² of importance and of load as balancing losses; this is the load’s CV, in tokens); MoE survey (Cai et al., TKDE 2025) §4.1',
    note: '0 is perfectly balanced; over pre-drop loads summed over the simulated source devices.',
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
    // Not "minimum 1" as the survey puts it: Σ_i f_i = 1, so a uniform P gives exactly 1 whatever f is (a router with
    // equal probabilities whose ties send every token to the same k experts), and f off P's peaks gives less.
    note: '1 under balanced routing (f_i = P_i = 1/N), but not a lower bound: the loss acts through the router probabilities P, so a router whose mean probabilities are uniform scores N · Σ f_i / N = 1 however unbalanced its top-k choices, and choices made without P (hash routing) can land a little below 1. f_i is each expert’s share of all t·k choices, so Σ f_i = 1 and balance gives 1; implementations that give each of a token’s k choices a full token’s share (Hugging Face’s Mixtral loss) report k at balance.',
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
    note: 'Illustrative only: (log Σ e^x)² depends on the logits’ absolute level, which this model fixes by its bias convention (b = σ·Φ⁻¹(k·p), mostly negative), not by training; a trained router’s level is what this loss itself pushes toward 0. It is not even monotone in σ here, so compare it only between settings that keep σ and the profile.',
  };
}

/**
 * The Routing lab's figures for one MoE layer of a routed batch (`layer` indexes `step.layers`; out of range it is
 * clamped, so a panel mid-update never shows NaN). Each shows its formula, inputs and paper.
 */
/** The OLMoE reference drops the batch came with (worked out where it was routed), or worked out here. */
export function referenceOf(step: RoutingStep): () => readonly [number, number, number] {
  return () => step.dropReference ?? olmoeReferenceDropFractions();
}

export function routingMetrics(requested: Scenario, step: RoutingStep, layer: number): Metric[] {
  const scenario = routingInForce(requested);
  const index = Math.min(Math.max(0, Math.floor(layer)), step.layers.length - 1);
  const routing = step.layers[index] ?? emptyLayer(step.experts);
  // The same for every layer of the step: worked out once, for DT's note and its own figure.
  const chance = chanceOverflowOf(scenario, step);
  const metrics = [
    meanLoadMetric(scenario, step, routing),
    capacityMetric(scenario, step, routing),
    maxOverMeanMetric(scenario, step, routing),
    keptMaxOverMeanMetric(scenario, step, routing),
    maxDeviceLoadMetric(scenario, step, routing),
    cvMetric(routing),
    droppedFractionMetric(scenario, routing, chance?.inflates ?? false),
  ];
  const chanceMetric = chanceOverflowMetric(scenario, step, chance);
  if (chanceMetric) metrics.push(chanceMetric);
  if (expandedDropActive(scenario)) metrics.push(droppedPairsMetric(routing));
  metrics.push(
    droppedGateWeightMetric(scenario, routing),
    keptGateWeightMetric(scenario, routing),
    tokensWithNoExpertMetric(routing),
    addedPairsMetric(routing),
    auxLossMetric(step, routing),
    zLossMetric(routing),
    estimateQualityCost(scenario.routing, routing, scenario.workload.mode, referenceOf(step)),
  );
  return metrics;
}
