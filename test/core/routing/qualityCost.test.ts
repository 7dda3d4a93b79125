import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  TABLE1_ACCURACY,
  TABLE1_BASELINE_ACCURACY,
  estimateQualityCost,
} from '../../../src/core/routing/qualityCost';
import type { DropPolicy, RoutingSettings } from '../../../src/core/routing/types';
import { defaultScenario } from '../../../src/core/scenario/defaults';

const POLICIES: DropPolicy[] = ['order', 'reverse', 'random', 'score'];

function settings(overrides: Partial<RoutingSettings>): RoutingSettings {
  return { ...defaultScenario().routing, capacity: 'expert', expandedDrop: false, ...overrides };
}

describe('quality-cost estimate from Capacity-Aware Inference Table 1', () => {
  it('holds the paper’s Table 1 (OLMoE, avg of 8 tasks, baseline 64.0)', () => {
    expect(TABLE1_BASELINE_ACCURACY).toBe(64.0);
    expect(TABLE1_ACCURACY).toEqual({
      order: [51.8, 55.1, 60.8],
      reverse: [52.0, 56.0, 60.8],
      random: [53.1, 59.1, 61.3],
      score: [61.1, 63.1, 64.0],
    });
  });

  it.each(
    POLICIES.flatMap((policy) => [1.0, 1.5, 2.0].map((gamma, column) => [policy, gamma, column] as const)),
  )('%s at γ = %f reproduces Table 1 exactly', (policy, gamma, column) => {
    const metric = estimateQualityCost(settings({ dropPolicy: policy, capacityFactor: gamma }));
    expect(metric.value).toBe(64.0 - (TABLE1_ACCURACY[policy][column] ?? Number.NaN));
    expect(metric.id).toBe('routing.qualityCost');
    expect(metric.unit).toBe('points');
    expect(metric.label.toLowerCase()).toContain('estimate');
    expect(metric.note).not.toMatch(/outside|below|above/);
  });

  it('the headline: Score at γ = 1.5 loses 0.9 points (63.1 vs 64.0)', () => {
    expect(estimateQualityCost(settings({ dropPolicy: 'score', capacityFactor: 1.5 })).value).toBeCloseTo(
      0.9,
      12,
    );
  });

  it('interpolates linearly between the paper’s γ values', () => {
    const at = (gamma: number, policy: DropPolicy = 'score') =>
      estimateQualityCost(settings({ dropPolicy: policy, capacityFactor: gamma })).value;
    expect(at(1.25)).toBeCloseTo((2.9 + 0.9) / 2, 12);
    expect(at(1.75)).toBeCloseTo(0.45, 12);
    expect(at(1.2, 'order')).toBeCloseTo(12.2 + 0.4 * (8.9 - 12.2), 12);
  });

  it('is monotone: more capacity never costs more, within and outside the paper’s range', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...POLICIES),
        fc.double({ min: 0.1, max: 8, noNaN: true }),
        fc.double({ min: 0.1, max: 8, noNaN: true }),
        fc.boolean(),
        (policy, a, b, expandedDrop) => {
          const [low, high] = a < b ? [a, b] : [b, a];
          const cost = (gamma: number) =>
            estimateQualityCost(settings({ dropPolicy: policy, capacityFactor: gamma, expandedDrop })).value;
          expect(cost(low)).toBeGreaterThanOrEqual(cost(high) - 1e-12);
          expect(Number.isFinite(cost(low)) && cost(low) >= 0 && cost(low) <= 64).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('says when γ is outside the paper’s range: extrapolated below 1.0, held at the γ = 2.0 value above', () => {
    const below = estimateQualityCost(settings({ dropPolicy: 'score', capacityFactor: 0.5 }));
    expect(below.value).toBeCloseTo(2.9 + 0.5 * ((2.9 - 0.9) / 0.5), 12);
    expect(below.note).toMatch(/below the paper's range/);
    expect(below.note).toMatch(/extrapolated/);
    const above = estimateQualityCost(settings({ dropPolicy: 'random', capacityFactor: 3 }));
    expect(above.value).toBeCloseTo(64 - 61.3, 12);
    expect(above.note).toMatch(/above the paper's range/);
  });

  it('Expanded Drop scales the Score cost by Table 2’s OLMoE ratio 0.3/1.2, whatever the Token Drop policy', () => {
    for (const policy of POLICIES) {
      const metric = estimateQualityCost(
        settings({ dropPolicy: policy, capacityFactor: 1.0, expandedDrop: true }),
      );
      expect(metric.value).toBeCloseTo((64 - 61.1) * (0.3 / 1.2), 10);
      expect(metric.inputs.find((item) => item.symbol === 'r')?.value).toBeCloseTo(0.25, 10);
      expect(metric.source).toMatch(/Table 2/);
    }
  });

  it('capacity off costs nothing (dropless); device-level capacity is flagged as an upper bound', () => {
    const off = estimateQualityCost(settings({ capacity: 'off', capacityFactor: 1 }));
    expect(off.value).toBe(0);
    expect(off.note).toMatch(/dropless/);
    const device = estimateQualityCost(
      settings({ capacity: 'device', capacityFactor: 1.5, dropPolicy: 'score' }),
    );
    expect(device.value).toBeCloseTo(0.9, 12);
    expect(device.note).toMatch(/upper bound/);
    expect(device.note).toMatch(/§5\.2/);
  });

  it.each(['expert-choice', 'hash'] as const)(
    '%s: no calibration, shown as "not estimated" (value 0, never NaN) with a note',
    (gating) => {
      const metric = estimateQualityCost(settings({ gating, capacity: 'expert', capacityFactor: 1 }));
      expect(metric.value).toBe(0);
      expect(metric.note).toMatch(/no calibration in the papers; not estimated/);
      expect(metric.label.toLowerCase()).toContain('estimate');
      expect(metric.shown).toBe('not estimated');
    },
  );

  it('every setting gives a finite, labelled estimate with finite inputs', () => {
    fc.assert(
      fc.property(
        fc.record({
          gating: fc.constantFrom(
            'softmax-topk',
            'softmax-topk-norm',
            'sigmoid-topk-norm',
            'group-limited',
            'softmax-group-limited',
            'expert-choice',
            'hash',
          ) as fc.Arbitrary<RoutingSettings['gating']>,
          capacity: fc.constantFrom('off', 'expert', 'device') as fc.Arbitrary<RoutingSettings['capacity']>,
          capacityFactor: fc.double({ min: 0.1, max: 8, noNaN: true }),
          dropPolicy: fc.constantFrom(...POLICIES),
          expandedDrop: fc.boolean(),
        }),
        (overrides) => {
          const metric = estimateQualityCost(settings(overrides));
          expect(Number.isFinite(metric.value)).toBe(true);
          expect(metric.label.toLowerCase()).toContain('estimate');
          expect(metric.note?.length ?? 0).toBeGreaterThan(0);
          for (const item of metric.inputs) expect(Number.isFinite(item.value)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('the accuracy estimate of a routed batch', () => {
  it('is 0 when the batch dropped no pair, whatever γ; with drops it is Table 1’s figure for γ', () => {
    const atGamma = settings({ dropPolicy: 'score', capacityFactor: 1.25 });
    const none = estimateQualityCost(atGamma, 0);
    expect(none.value).toBe(0);
    expect(none.formula).toMatch(/no token-expert pair dropped/);
    expect(estimateQualityCost(atGamma, 120).value).toBeCloseTo(estimateQualityCost(atGamma).value, 12);
    expect(estimateQualityCost(atGamma, 120).value).toBeCloseTo(1.9, 12); // (2.9 + 0.9) / 2
  });
});
