import { formatInput, formatValue } from '../format';
import { input, type Metric } from '../metric';
import { tokensOnBusiestRank } from '../metrics/tokens';
import type { Scenario } from '../scenario/types';
import { expertCapacity } from './capacity';
import { CAPACITY_AWARE, ratio } from './metricSupport';
import type { RoutingStep } from './types';

// Capacity drops come from two places: a router that favours some experts, and chance. Even a perfectly balanced
// router sends each expert a random number of a device's pairs, about √N̄ either side of N̄, so C = ⌈γ·N̄⌉ overflows
// now and then, and the fewer tokens a device routes the more often (it is why γ must exceed 1 at all). The lab
// routes a sample of each device's tokens, so this says how much of its DT the sample's size alone could explain.

/** Terms of the binomial smaller than this, relative to the mode's, are too small to move the sum. */
const NEGLIGIBLE_TERM = 1e-18;

/**
 * E[max(0, N − C)] / E[N] for N ~ Binomial(trials, probability): the share of an expert's pairs over capacity C when
 * each of `trials` tokens sends it a pair with `probability`. Summed exactly outward from the mode (only +, −, ×, ÷,
 * so every engine gives the same bits), stopping where terms become negligible.
 */
export function binomialOverflowShare(trials: number, probability: number, capacity: number): number {
  if (trials <= 0 || probability <= 0) return 0;
  if (probability >= 1) return ratio(Math.max(0, trials - capacity), trials);
  const odds = probability / (1 - probability);
  const mode = Math.min(trials, Math.floor((trials + 1) * probability));
  let total = 1;
  let over = Math.max(0, mode - capacity);
  let weight = 1;
  for (let count = mode; count < trials; count += 1) {
    weight *= ((trials - count) / (count + 1)) * odds;
    if (weight < NEGLIGIBLE_TERM) break;
    total += weight;
    if (count + 1 > capacity) over += (count + 1 - capacity) * weight;
  }
  weight = 1;
  for (let count = mode; count > 0; count -= 1) {
    weight *= count / (trials - count + 1) / odds;
    if (weight < NEGLIGIBLE_TERM) break;
    total += weight;
    if (count - 1 > capacity) over += (count - 1 - capacity) * weight;
  }
  return ratio(over / total, trials * probability);
}

/** A balanced top-k router's overflow share on one device routing `tokens` tokens (each expert: Binomial(T, k/E)). */
export function balancedOverflowShare(
  tokens: number,
  topK: number,
  experts: number,
  capacityFactor: number,
): { capacity: number; share: number } {
  const capacity = expertCapacity(capacityFactor, topK, tokens, experts);
  return { capacity, share: binomialOverflowShare(tokens, Math.min(1, topK / experts), capacity) };
}

/** Above this share of chance overflow at the sample's size, and twice the step's, the sample's size is said to matter. */
const SAMPLE_MATTERS_ABOVE = 0.005;

/** Whether the simulated sample overflows by chance noticeably more than the step's own tokens would. */
export function sampleSizeInflatesDrops(sampleShare: number, stepShare: number): boolean {
  return sampleShare > SAMPLE_MATTERS_ABOVE && sampleShare > 2 * stepShare;
}

export interface ChanceOverflow {
  sample: { capacity: number; share: number };
  /** The step's own tokens per device (at least the sample's), and the share there. */
  stepTokens: number;
  full: { capacity: number; share: number };
  /** The sample overflows by chance noticeably more than the full step would (sampleSizeInflatesDrops). */
  inflates: boolean;
}

/**
 * The overflow a perfectly balanced router gets by chance alone, at the tokens each device routes here and at the
 * step's own tokens per device: null where there is no per-expert limit on token choice (capacity off, device-level,
 * expert choice), where the binomial picture does not apply.
 */
export function chanceOverflowOf(scenario: Scenario, step: RoutingStep): ChanceOverflow | null {
  const settings = scenario.routing;
  if (settings.capacity !== 'expert' || settings.gating === 'expert-choice') return null;
  const { topK, experts, tokensPerDevice } = step;
  const sample = balancedOverflowShare(tokensPerDevice, topK, experts, settings.capacityFactor);
  const stepTokens = Math.max(tokensPerDevice, tokensOnBusiestRank(scenario));
  const full = balancedOverflowShare(stepTokens, topK, experts, settings.capacityFactor);
  const inflates = stepTokens > tokensPerDevice && sampleSizeInflatesDrops(sample.share, full.share);
  return { sample, stepTokens, full, inflates };
}

/** chanceOverflowOf (as computed for the step, or computed here) as a show-your-work figure, or null where it does not apply. */
export function chanceOverflowMetric(
  scenario: Scenario,
  step: RoutingStep,
  chance: ChanceOverflow | null = chanceOverflowOf(scenario, step),
): Metric | null {
  if (!chance) return null;
  const { sample, stepTokens, full, inflates } = chance;
  const { topK, experts, tokensPerDevice } = step;
  const meanSample = ratio(tokensPerDevice * topK, experts);
  const meanFull = ratio(stepTokens * topK, experts);
  const comparison =
    stepTokens > tokensPerDevice
      ? ` The step’s own ${formatInput(stepTokens, 'tokens')} per device (N̄ = ${formatInput(meanFull, 'pairs')} per expert, C = ${formatInput(full.capacity, 'pairs')}) would give ${formatValue(full.share, 'fraction')}.`
      : ' The lab routes every one of the step’s tokens here, so this is the step’s own.';
  const advice = inflates
    ? ' So part of DT comes from the sample’s size rather than the router’s skew: raise Simulated tokens per device to come closer to the full step.'
    : '';
  return {
    id: 'routing.chanceOverflow',
    label: 'Overflow a balanced router gets by chance',
    // (derived) Each of T tokens picks k of E experts; for a balanced router an expert's count on a device is
    // Binomial(T, k/E), and its expected overflow E[max(0, N − C)] / N̄ with C = ⌈γ·k·T/E⌉ (Capacity-Aware §3).
    value: sample.share,
    unit: 'fraction',
    formula: 'E[max(0, N − C)] / N̄,  N ~ Binomial(T, k/E),  C = ⌈γ·k·T/E⌉',
    inputs: [
      input('T', 'simulated tokens per device', tokensPerDevice, 'tokens'),
      input('k', 'top-k', topK, 'experts'),
      input('E', 'routed experts', experts, 'experts'),
      input('N̄', 'mean pairs per expert per device', meanSample, 'pairs'),
      input('C', 'capacity per expert per device', sample.capacity, 'pairs'),
      input('T_step', 'the step’s own tokens per device', stepTokens, 'tokens'),
      input('share at T_step', 'the same at the step’s own tokens', full.share, 'fraction'),
    ],
    source: `(derived) binomial spread of a balanced top-k router; C from ${CAPACITY_AWARE}, §3`,
    note:
      `Even a perfectly balanced router sends each expert a random number of a device’s pairs, about √N̄ either side of N̄ = ${formatInput(meanSample, 'pairs')}, so it overflows C = ${formatInput(sample.capacity, 'pairs')} this often by chance: the fewer tokens per device, the more.` +
      comparison +
      advice,
    ...(inflates ? { flag: 'the sample’s size adds drops' } : {}),
  };
}
