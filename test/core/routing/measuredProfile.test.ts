import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  OLMOE_PEAK_LOAD,
  describeProfileMapping,
  lorenzResample,
  olmoeProfileMapping,
} from '../../../src/core/routing/measuredProfile';
import { routingMetrics } from '../../../src/core/routing/metrics';
import { popularityMagnitudes } from '../../../src/core/routing/popularity';
import { routeStep } from '../../../src/core/routing/routeStep';
import { decodeFragment } from '../../../src/core/scenario/shareLink';

const SORTED = [...OLMOE_PEAK_LOAD].sort((a, b) => b - a);
const TOTAL = SORTED.reduce((sum, value) => sum + value, 0);

/** The measured Lorenz curve: load held by the busiest x source experts, linear within an expert. */
function lorenz(x: number): number {
  let load = 0;
  for (let source = 0; source < SORTED.length; source += 1)
    load += (SORTED[source] ?? 0) * Math.max(0, Math.min(1, x - source));
  return load;
}

const expertCounts = fc.integer({ min: 1, max: 1024 });

describe('the OLMoE profile mapped onto n experts along its Lorenz curve', () => {
  it('keeps the total, is non-negative and busiest first, for any expert count', () => {
    fc.assert(
      fc.property(expertCounts, (count) => {
        const mapped = lorenzResample(OLMOE_PEAK_LOAD, count);
        expect(mapped.length).toBe(count);
        expect(mapped.reduce((sum, value) => sum + value, 0)).toBeCloseTo(TOTAL, 9);
        expect(mapped.every((value) => value > 0)).toBe(true);
        const rises = mapped.filter((value, rank) => rank > 0 && value > (mapped[rank - 1] ?? 0) + 1e-12);
        expect(rises, 'busiest first').toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('is the measured profile itself, value for value, at OLMoE’s 64 experts', () => {
    expect(lorenzResample(OLMOE_PEAK_LOAD, 64)).toEqual(SORTED);
    expect(olmoeProfileMapping(64)).toBeNull();
  });

  it('the busiest i of n experts hold what the busiest i/n of OLMoE’s experts hold', () => {
    fc.assert(
      fc.property(expertCounts, (count) => {
        const mapped = lorenzResample(OLMOE_PEAK_LOAD, count);
        let cumulative = 0;
        let worst = 0;
        mapped.forEach((value, index) => {
          cumulative += value;
          worst = Math.max(worst, Math.abs(cumulative - lorenz(((index + 1) * 64) / count)));
        });
        expect(worst).toBeLessThan(1e-9);
      }),
      { numRuns: 100 },
    );
  });

  it('merges busiest with busiest when n divides 64, and splits evenly when 64 divides n', () => {
    const eight = lorenzResample(OLMOE_PEAK_LOAD, 8);
    eight.forEach((value, index) => {
      const group = SORTED.slice(index * 8, index * 8 + 8).reduce((sum, each) => sum + each, 0);
      expect(value).toBeCloseTo(group, 12);
    });
    const split = lorenzResample(OLMOE_PEAK_LOAD, 256);
    split.forEach((value, index) => expect(value).toBe((SORTED[Math.floor(index / 4)] ?? 0) / 4));
  });

  it('peak over mean, n·p_max, never falls as experts get finer and never exceeds the measured 5.63', () => {
    let previous = 0;
    for (let count = 1; count <= 512; count += 1) {
      const peak = (popularityMagnitudes('olmoe', count, 0)[0] ?? 0) * count;
      expect(peak).toBeGreaterThanOrEqual(previous - 1e-12);
      expect(peak).toBeLessThanOrEqual((7.22 / TOTAL) * 64 + 1e-12);
      previous = peak;
    }
  });

  it('gives Mixtral’s 8 experts the top 8 sources’ share, which a top-2 router can carry (k·p < 1)', () => {
    // Sampling 8 points off the sorted curve gave the busiest 7.22 / 13.8 ≈ 52% of the load: k·p = 1.04 > 1, a share
    // no top-2 router can carry, so every token chose that expert and the peak hit the n/k ceiling.
    const shares = popularityMagnitudes('olmoe', 8, 0);
    const topEight = SORTED.slice(0, 8).reduce((sum, value) => sum + value, 0);
    expect(shares[0]).toBeCloseTo(topEight / TOTAL, 12);
    expect((shares[0] ?? 0) * 8).toBeCloseTo(2.79, 2);
    expect((shares[0] ?? 0) * 2).toBeLessThan(0.75);
    expect((popularityMagnitudes('olmoe', 16, 0)[0] ?? 0) * 4).toBeLessThan(0.95);
  });

  it('says how the profile was mapped: merged, split or read between', () => {
    const eight = olmoeProfileMapping(8);
    expect(eight).toMatchObject({ sourceExperts: 64, experts: 8, sourcePerExpert: 8 });
    expect(eight?.peakOverMean).toBeCloseTo(2.79, 2);
    expect(eight?.sourcePeakOverMean).toBeCloseTo(5.63, 2);
    expect(describeProfileMapping(eight!)).toBe(
      'The OLMoE profile was measured on 64 experts and is mapped onto 8 along its cumulative-share curve: ' +
        'each expert here takes the combined load of 8 of OLMoE’s, busiest with busiest, so the top x% of ' +
        'experts carry the share OLMoE’s top x% carry, and the busiest expert is set to 2.79× the mean load ' +
        '(OLMoE’s own: 5.63×).',
    );
    expect(describeProfileMapping(olmoeProfileMapping(256)!)).toContain(
      'each of OLMoE’s experts is split evenly over 4 experts here',
    );
    expect(describeProfileMapping(olmoeProfileMapping(60)!)).toContain(
      'each expert here takes 1.07 of OLMoE’s experts’ worth of load, busiest with busiest',
    );
  });

  it('the peak/mean working names the mapping and the mapped peak, and only off OLMoE’s 64', () => {
    const peakMetric = (fragment: string) => {
      const { scenario } = decodeFragment(fragment);
      const step = routeStep(scenario, 0, { layers: [0] });
      return routingMetrics(scenario, step, 0).find((metric) => metric.id === 'routing.maxOverMean');
    };
    const mixtral = peakMetric('v=1&routing.profile=olmoe&routing.tokensPerDevice=64');
    expect(mixtral?.note).toContain('mapped onto 8 along its cumulative-share curve');
    expect(mixtral?.inputs.find((each) => each.symbol === 'n·p_max')?.value).toBeCloseTo(2.79, 2);
    const olmoe = peakMetric('v=1&model=olmoe-1b-7b&routing.profile=olmoe&routing.tokensPerDevice=64');
    expect(olmoe?.note).not.toContain('mapped');
    expect(olmoe?.inputs.map((each) => each.symbol)).toEqual(['max_i N_i', 'N̄']);
  });
});
