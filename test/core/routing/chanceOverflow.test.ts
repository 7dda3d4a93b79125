import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  balancedOverflowShare,
  binomialOverflowShare,
  chanceOverflowMetric,
} from '../../../src/core/routing/chanceOverflow';
import { routingMetrics } from '../../../src/core/routing/metrics';
import { routeStep } from '../../../src/core/routing/routeStep';
import { decodeFragment } from '../../../src/core/scenario/shareLink';

/** E[max(0, N − C)] / E[N] by the definition: every term of the binomial, its coefficient built up exactly. */
function bruteForce(trials: number, probability: number, capacity: number): number {
  let coefficient = 1;
  let over = 0;
  for (let count = 0; count <= trials; count += 1) {
    if (count > 0) coefficient = (coefficient * (trials - count + 1)) / count;
    const term = coefficient * probability ** count * (1 - probability) ** (trials - count);
    over += Math.max(0, count - capacity) * term;
  }
  return over / (trials * probability);
}

describe('chance overflow of a balanced router', () => {
  it('sums the binomial as the definition does (300 drawn cases)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 120 }),
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        fc.integer({ min: 0, max: 130 }),
        (trials, probability, capacity) => {
          expect(binomialOverflowShare(trials, probability, capacity)).toBeCloseTo(
            bruteForce(trials, probability, capacity),
            10,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is every pair over C when each token picks every expert, and nothing without tokens', () => {
    expect(binomialOverflowShare(10, 1, 4)).toBe(0.6);
    expect(binomialOverflowShare(0, 0.5, 4)).toBe(0);
  });

  it('shrinks as a device routes more tokens (Switch-Base: top-1 of 128, γ = 1.25)', () => {
    const shares = [256, 1024, 4096, 16384].map(
      (tokens) => balancedOverflowShare(tokens, 1, 128, 1.25).share,
    );
    for (let index = 1; index < shares.length; index += 1)
      expect(shares[index]!).toBeLessThan(shares[index - 1]!);
    expect(shares[0]).toBeGreaterThan(0.05);
    expect(shares[3]).toBeLessThan(0.001);
  });

  it('predicts the dropped fraction a uniform router gets in the simulation, and says the sample adds it', () => {
    const { scenario } = decodeFragment(
      'v=1&model=switch-base-128&routing.profile=uniform&routing.dropPolicy=order&routing.tokensPerDevice=1024',
    );
    let dropped = 0;
    const seeds = [1, 2, 3, 4];
    for (const seed of seeds) {
      const step = routeStep({ ...scenario, workload: { ...scenario.workload, seed } }, 0, { layers: [0] });
      dropped += step.layers[0]!.overflowPairs / step.layers[0]!.routedPairs / seeds.length;
    }
    const step = routeStep(scenario, 0, { layers: [0] });
    const chance = chanceOverflowMetric(scenario, step)!;
    // 8 devices × 1,024 tokens × 4 seeds: the simulated DT is within a tenth of the binomial's expectation.
    expect(Math.abs(dropped - chance.value) / chance.value).toBeLessThan(0.15);
    expect(chance.flag).toBe('the sample’s size adds drops');
    const dt = routingMetrics(scenario, step, 0).find((metric) => metric.id === 'routing.droppedFraction')!;
    expect(dt.note).toContain('Simulated tokens per device');
  });

  it('is absent where there is no per-expert limit on token choice', () => {
    for (const fragment of [
      'v=1&routing.capacity=off',
      'v=1&routing.capacity=device',
      'v=1&routing.gating=expert-choice',
    ]) {
      const { scenario } = decodeFragment(`${fragment}&routing.tokensPerDevice=64`);
      expect(chanceOverflowMetric(scenario, routeStep(scenario, 0, { layers: [0] }))).toBeNull();
    }
  });
});
