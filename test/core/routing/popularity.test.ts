import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OLMOE_PEAK_LOAD } from '../../../src/core/routing/measuredProfile';
import { layerPopularity, popularityMagnitudes, routerBiases } from '../../../src/core/routing/popularity';
import { runDevice, type DeviceCase } from './support';

function total(values: ArrayLike<number>): number {
  let sum = 0;
  for (let index = 0; index < values.length; index += 1) sum += values[index] ?? 0;
  return sum;
}

describe('popularity profiles', () => {
  it('shares sum to 1 and are largest first, for any profile, expert count and exponent', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('uniform', 'zipf', 'olmoe') as fc.Arbitrary<'uniform' | 'zipf' | 'olmoe'>,
        fc.integer({ min: 1, max: 4096 }),
        fc.double({ min: 0, max: 3, noNaN: true }),
        (profile, experts, exponent) => {
          const shares = popularityMagnitudes(profile, experts, exponent);
          expect(shares.length).toBe(experts);
          expect(total(shares)).toBeCloseTo(1, 10);
          let ordered = true;
          for (let rank = 1; rank < experts; rank += 1)
            ordered &&= (shares[rank] ?? 0) <= (shares[rank - 1] ?? 0) + 1e-15;
          expect(ordered, 'largest first').toBe(true);
          expect(shares.every((share) => share > 0)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('Zipf: p_r ∝ r^(−s), strictly decreasing for s > 0, uniform at s = 0', () => {
    const shares = popularityMagnitudes('zipf', 8, 1);
    const harmonic = [1, 2, 3, 4, 5, 6, 7, 8].reduce((sum, rank) => sum + 1 / rank, 0);
    shares.forEach((share, index) => expect(share).toBeCloseTo(1 / (index + 1) / harmonic, 12));
    const mild = popularityMagnitudes('zipf', 64, 0.5);
    for (let rank = 1; rank < 64; rank += 1) expect(mild[rank] ?? 0).toBeLessThan(mild[rank - 1] ?? 0);
    expect((mild[0] ?? 0) / (mild[3] ?? 0)).toBeCloseTo(2, 12); // (1/4)^(−0.5)
    for (const share of popularityMagnitudes('zipf', 16, 0)) expect(share).toBeCloseTo(1 / 16, 15);
    for (const share of popularityMagnitudes('uniform', 60, 2)) expect(share).toBeCloseTo(1 / 60, 15);
  });

  it('OLMoE at 64 experts is the measured profile, sorted and renormalised (peak 7.22 of ≈82)', () => {
    const shares = popularityMagnitudes('olmoe', 64, 0);
    const sum = total(OLMOE_PEAK_LOAD);
    expect(sum).toBeGreaterThan(80);
    expect(sum).toBeLessThan(84);
    const sorted = [...OLMOE_PEAK_LOAD].sort((a, b) => b - a);
    shares.forEach((share, index) => expect(share).toBeCloseTo((sorted[index] ?? 0) / sum, 12));
    expect((shares[0] ?? 0) * 64).toBeCloseTo((7.22 / sum) * 64, 12);
  });

  it('every layer is a permutation of the magnitudes; ρ = 1 repeats the layer, δ = 0 fixes it over batches', () => {
    const magnitudes = popularityMagnitudes('zipf', 32, 1);
    const sortedMagnitudes = Array.from(magnitudes).sort((a, b) => a - b);
    const args = { magnitudes, layers: 6, correlation: 0.5, drift: 0.3, step: 2, seed: 9 };
    for (const shares of layerPopularity(args))
      expect(Array.from(shares).sort((a, b) => a - b)).toEqual(sortedMagnitudes);
    // Drift moves each layer independently, so layers are identical under ρ = 1 before any drift (batch 0).
    const identical = layerPopularity({ ...args, correlation: 1, step: 0 });
    for (const shares of identical) expect(Array.from(shares)).toEqual(Array.from(identical[0] ?? []));
    const still = (step: number) => layerPopularity({ ...args, drift: 0, step });
    expect(still(5)).toEqual(still(0));
    expect(layerPopularity(args)).toEqual(layerPopularity(args));
  });
});

describe('router biases reproduce the profile’s shares (mean-field b_e = σ·Φ⁻¹(k·p_e))', () => {
  const routeShares = (
    profile: 'uniform' | 'zipf' | 'olmoe',
    exponent: number,
    experts: number,
    topK: number,
  ) => {
    const c: DeviceCase = {
      tokens: 4096,
      experts,
      topK,
      gating: 'softmax-topk',
      groups: 1,
      topkGroups: 1,
      profile,
      zipfExponent: exponent,
      noise: 1,
      visionFraction: 0,
      visionExpertFraction: 0,
      visionBias: 0,
      ep: 1,
      device: 0,
      capacityMode: 'off',
      capacityFactor: 1,
      dropPolicy: 'score',
      expandedDrop: false,
      seed: 12345,
    };
    const { out } = runDevice(c);
    return {
      expected: popularityMagnitudes(profile, experts, exponent),
      measured: Array.from(out.preDrop, (count) => count / out.routedPairs),
      pairs: out.routedPairs,
    };
  };

  it.each([
    ['uniform', 0, 64, 8],
    ['zipf', 0.3, 64, 8],
    ['zipf', 0.5, 64, 8],
    ['zipf', 0.5, 128, 8],
    ['zipf', 0.5, 8, 2],
    ['olmoe', 0, 64, 8],
    // The measured profile mapped onto Mixtral's 8 (top-2) and Qwen1.5's 60 (top-4): reachable, so reproduced.
    ['olmoe', 0, 8, 2],
    ['olmoe', 0, 60, 4],
  ] as const)(
    '%s (s = %f), %i experts, top-%i: each share within a few percent',
    (profile, s, experts, topK) => {
      const { expected, measured, pairs } = routeShares(profile, s, experts, topK);
      let totalVariation = 0;
      measured.forEach((share, expert) => {
        const target = expected[expert] ?? 0;
        // 3% relative (the mean-field approximation) plus 4.5 binomial standard deviations of sampling over T·k pairs.
        const allowed = 0.03 * target + 4.5 * Math.sqrt((target * (1 - target)) / pairs);
        expect(Math.abs(share - target), `expert ${expert}: ${share} vs ${target}`).toBeLessThanOrEqual(
          allowed,
        );
        totalVariation += Math.abs(share - target) / 2;
      });
      expect(totalVariation).toBeLessThan(0.03);
    },
  );

  it('caps an expert every token would want (k·p ≥ 1) just below certain selection', () => {
    const biases = routerBiases(Float64Array.from([0.5, 0.25, 0.25]), 2, 1);
    expect(Number.isFinite(biases[0])).toBe(true);
    expect(biases[0]).toBeGreaterThan(biases[1] ?? 0);
    expect(biases[1]).toBeCloseTo(0, 12); // k·p = 0.5 → Φ⁻¹(0.5) = 0
  });
});
