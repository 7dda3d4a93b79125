import { defaultScenario } from '../scenario/defaults';
import { applyEntries } from '../scenario/validate';
import { expertCapacity } from './capacity';
import { routeStep } from './routeStep';

/** The capacity factors Capacity-Aware Inference Table 1 sweeps, ascending. */
export const TABLE1_CAPACITY_FACTORS = [1.0, 1.5, 2.0] as const;

/** The paper's OLMoE deployment: OLMoE-Instruct prefill on 8 GPUs, DP8 × EP8 (Capacity-Aware Inference §5.1), with the
 * expert-load profile the paper measured on OLMoE and OLMoE's own router (softmax top-8, not renormalised:
 * nativeRouters.ts). Shared with the paper checks that reproduce it. */
export const OLMOE_DEPLOYMENT: readonly (readonly [string, unknown])[] = [
  ['model', 'olmoe-1b-7b'],
  ['mode', 'prefill'],
  ['ep', 8],
  ['dp', 8],
  ['routing.profile', 'olmoe'],
  ['routing.gating', 'softmax-topk'],
];

/**
 * The deployment routed once without a cap, so every γ can be applied to the same pre-drop counts. 1,024 tokens per
 * device: enough for the per-device overflow to settle, cheap to route once.
 */
export const OLMOE_REFERENCE_ENTRIES: readonly (readonly [string, unknown])[] = [
  ...OLMOE_DEPLOYMENT,
  ['routing.capacity', 'off'],
  ['routing.tokensPerDevice', 1024],
];

/** MoE layers of the reference pooled: the first two, as the paper checks route. */
const REFERENCE_LAYERS = [0, 1];

let cached: readonly [number, number, number] | null = null;

/**
 * DT (Capacity-Aware Eq. 11) that the model's own OLMoE reference drops at each of Table 1's capacity factors
 * (1.0, 1.5, 2.0): the x-axis on which Table 1's accuracy costs are placed, so an estimate can follow how much a
 * batch drops rather than its γ alone. Computed by the model (no figure from the paper), once, deterministically.
 */
export function olmoeReferenceDropFractions(): readonly [number, number, number] {
  if (cached) return cached;
  const { scenario } = applyEntries(defaultScenario(), OLMOE_REFERENCE_ENTRIES);
  const step = routeStep(scenario, 0, { layers: REFERENCE_LAYERS });
  const fractions = TABLE1_CAPACITY_FACTORS.map((gamma) => {
    // Capacity-Aware code `_compute_capacity`: C = ⌈γ·k·T/n⌉ per source device.
    const capacity = expertCapacity(gamma, step.topK, step.tokensPerDevice, step.experts);
    let overflow = 0;
    let routed = 0;
    for (const layer of step.layers) {
      for (const load of layer.preDropFlow) {
        // Eq. 11: DT = Σ_d Σ_i max(0, N_{d,i} − C) / Σ_d Σ_i N_{d,i}.
        overflow += Math.max(0, load - capacity);
        routed += load;
      }
    }
    return routed > 0 ? overflow / routed : 0;
  });
  cached = [fractions[0] ?? 0, fractions[1] ?? 0, fractions[2] ?? 0];
  return cached;
}
