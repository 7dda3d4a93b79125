import { exp, pow } from '../portableMath';
import { createRandom } from '../random';
import { inverseNormalCdf } from '../normalQuantile';
import { deriveSeed } from './seeds';
import { lorenzResample, OLMOE_PEAK_LOAD } from './measuredProfile';
import type { PopularityProfile } from './types';

/**
 * Expert popularity magnitudes, largest first, summing to 1. Zipf: p_r ∝ r^(−s) (Zipf's law over expert rank);
 * OLMoE: the measured 64-expert profile mapped onto n experts along its Lorenz curve (lorenzResample says why).
 */
export function popularityMagnitudes(
  profile: Exclude<PopularityProfile, 'custom'>,
  experts: number,
  zipfExponent: number,
): Float64Array {
  const raw =
    profile === 'uniform'
      ? Array.from({ length: experts }, () => 1)
      : profile === 'zipf'
        ? Array.from({ length: experts }, (_, rank) => pow(rank + 1, -zipfExponent))
        : lorenzResample(OLMOE_PEAK_LOAD, experts);
  const total = raw.reduce((sum, value) => sum + value, 0);
  return Float64Array.from(raw, (value) => value / total);
}

/**
 * Which expert is how popular, per layer and batch. Each layer has a latent Gaussian score per expert; experts take
 * the profile's magnitudes in the order of their scores. Adjacent layers share scores through an AR(1) chain with
 * coefficient ρ (an illustrative assumption: each layer's experts are numbered independently, and ScMoE §5's 98% is
 * one gate on adjacent layers' representations, not different layers' experts), and every batch the scores
 * drift by an AR(1) step of size δ (the temporal locality that history-based balancers such as EPLB rely on).
 * Returns, per layer, each expert's expected share of the routed assignments (summing to 1).
 */
export function layerPopularity(args: {
  magnitudes: Float64Array;
  layers: number;
  correlation: number;
  drift: number;
  step: number;
  seed: number;
}): Float64Array[] {
  const { magnitudes, layers, correlation, drift, step, seed } = args;
  const latent = latentScoresAt(magnitudes.length, layers, correlation, drift, seed, step);
  const experts = magnitudes.length;
  return latent.map((scores) => {
    const order = Array.from({ length: experts }, (_, expert) => expert).sort(
      (a, b) => (scores[b] ?? 0) - (scores[a] ?? 0),
    );
    const shares = new Float64Array(experts);
    order.forEach((expert, rank) => {
      shares[expert] = magnitudes[rank] ?? 0;
    });
    return shares;
  });
}

interface LatentChain {
  key: string;
  step: number;
  latent: Float64Array[];
}

/**
 * The last latent chain computed, kept so that playing batch after batch advances the drift by one step instead of
 * replaying it from batch 0 (O(batch × layers × experts) draws). Pure memoisation: every batch's scores are exactly
 * those a replay from batch 0 gives, because each drift step draws from its own seed.
 */
let lastChain: LatentChain | null = null;

/** Per-layer latent expert scores at `step`: AR(1) across layers (ρ), then AR(1) drift across batches (δ). */
function latentScoresAt(
  experts: number,
  layers: number,
  correlation: number,
  drift: number,
  seed: number,
  step: number,
): Float64Array[] {
  const key = `${experts}|${layers}|${correlation}|${drift}|${seed}`;
  let chain: LatentChain;
  if (lastChain && lastChain.key === key && lastChain.step <= step) {
    chain = { key, step: lastChain.step, latent: lastChain.latent.map((scores) => scores.slice()) };
  } else {
    const layerRandom = createRandom(deriveSeed(seed, 0x1a7e5));
    const latent: Float64Array[] = [];
    let previous = new Float64Array(experts);
    for (let layer = 0; layer < layers; layer += 1) {
      const scores = new Float64Array(experts);
      const carry = layer === 0 ? 0 : correlation;
      const fresh = Math.sqrt(Math.max(0, 1 - carry * carry));
      for (let expert = 0; expert < experts; expert += 1)
        scores[expert] = carry * (previous[expert] ?? 0) + fresh * layerRandom.normal();
      latent.push(scores);
      previous = scores;
    }
    chain = { key, step: 0, latent };
  }
  const stay = Math.sqrt(Math.max(0, 1 - drift * drift));
  for (let batch = chain.step + 1; batch <= step; batch += 1) {
    const driftRandom = createRandom(deriveSeed(seed, 0xd21f7, batch));
    for (const scores of chain.latent) {
      for (let expert = 0; expert < experts; expert += 1)
        scores[expert] = stay * (scores[expert] ?? 0) + drift * driftRandom.normal();
    }
  }
  chain.step = step;
  lastChain = { key, step, latent: chain.latent.map((scores) => scores.slice()) };
  return chain.latent;
}

/** Per-layer shares from a user-supplied load matrix (rows: layers, cycled if fewer than the model has). */
export function customPopularity(matrix: readonly (readonly number[])[], layers: number): Float64Array[] {
  return Array.from({ length: layers }, (_, layer) => {
    const row = matrix[layer % matrix.length] ?? [];
    const total = row.reduce((sum, value) => sum + value, 0);
    return Float64Array.from(row, (value) => (total > 0 ? value / total : 1 / row.length));
  });
}

/** Smallest noise used when solving biases, so σ = 0 still ranks experts by popularity. */
const MIN_SOLVING_NOISE = 0.05;

/**
 * Router logit biases that make each expert's expected share of the top-k choices equal its popularity share p_e.
 * Mean-field: expert e is chosen when b_e + σ·z exceeds a common threshold (0), with probability Φ(b_e/σ); setting
 * that to k·p_e gives b_e = σ·Φ⁻¹(k·p_e). Without this, top-k selection sharpens any skew far beyond the profile.
 * Shares with k·p_e ≥ 1 (an expert every token wants) are capped just below 1.
 */
export function routerBiases(shares: Float64Array, topK: number, noise: number): Float64Array {
  const sigma = logitScale(noise);
  return Float64Array.from(
    shares,
    (share) => sigma * inverseNormalCdf(Math.min(0.999, Math.max(1e-6, topK * share))),
  );
}

/**
 * The scale every router logit is drawn at: the biases, the vision bonus and each token's noise are σ times fixed
 * amounts (at σ = 0, the smallest solving noise), so σ sets how peaked a token's gate weights are while which experts
 * tokens choose, and so every load, follows the popularity profile at any σ.
 */
export function logitScale(noise: number): number {
  return Math.max(noise, MIN_SOLVING_NOISE);
}

/**
 * e^{bias} per expert for text tokens and for vision tokens: routerBiases, plus for vision tokens a bonus of
 * `visionBias` logit units of σ on the vision-heavy experts (ReaLB's multimodal skew, at any σ the same preference).
 */
export function routerExpBiases(
  shares: Float64Array,
  topK: number,
  noise: number,
  visionHeavy: Uint8Array,
  visionBias: number,
): { text: Float64Array; vision: Float64Array } {
  const bias = routerBiases(shares, topK, noise);
  const bonus = logitScale(noise) * visionBias;
  return {
    text: Float64Array.from(bias, (value) => exp(value)),
    vision: Float64Array.from(bias, (value, expert) => exp(value + (visionHeavy[expert] ? bonus : 0))),
  };
}

/** The vision-heavy experts: a seeded choice of ⌈f·n⌉ experts, the same in every layer. */
export function visionHeavyExperts(experts: number, fraction: number, seed: number): Uint8Array {
  const count = Math.min(experts, Math.ceil(fraction * experts));
  const random = createRandom(deriveSeed(seed, 0x7151));
  const order = Array.from({ length: experts }, (_, expert) => expert);
  for (let index = experts - 1; index > 0; index -= 1) {
    const swap = random.int(index + 1);
    [order[index], order[swap]] = [order[swap] ?? 0, order[index] ?? 0];
  }
  const mask = new Uint8Array(experts);
  for (let index = 0; index < count; index += 1) mask[order[index] ?? 0] = 1;
  return mask;
}
