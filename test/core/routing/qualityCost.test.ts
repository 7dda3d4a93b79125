import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  TABLE1_ACCURACY,
  TABLE1_BASELINE_ACCURACY,
  estimateQualityCost,
} from '../../../src/core/routing/qualityCost';
import {
  OLMOE_REFERENCE_ENTRIES,
  olmoeReferenceDropFractions,
} from '../../../src/core/routing/dropCalibration';
import { routeStep } from '../../../src/core/routing/routeStep';
import type { DropPolicy, RoutingSettings } from '../../../src/core/routing/types';
import { defaultScenario } from '../../../src/core/scenario/defaults';
import type { WorkloadMode } from '../../../src/core/scenario/types';
import { applyEntries } from '../../../src/core/scenario/validate';

const POLICIES: DropPolicy[] = ['order', 'reverse', 'random', 'score'];

/** What the model's OLMoE reference drops at γ = 1.0, 1.5 and 2.0 (the knots of the estimate). */
const REFERENCE = olmoeReferenceDropFractions();

/** Counts whose DT (overflow over routed pairs) is exactly `fraction`. */
function dropping(fraction: number) {
  return { overflowPairs: fraction, routedPairs: 1, droppedPairs: fraction > 0 ? 1 : 0 };
}

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
  )(
    '%s: a batch dropping what the OLMoE reference drops at γ = %f costs Table 1’s figure exactly',
    (policy, _gamma, column) => {
      const metric = estimateQualityCost(
        settings({ dropPolicy: policy }),
        dropping(REFERENCE[column]!),
        'prefill',
      );
      expect(metric.value).toBeCloseTo(64.0 - (TABLE1_ACCURACY[policy][column] ?? Number.NaN), 12);
      expect(metric.id).toBe('routing.qualityCost');
      expect(metric.unit).toBe('points');
      expect(metric.label.toLowerCase()).toContain('estimate');
      expect(metric.note).not.toMatch(/rough guess/);
    },
  );

  it('the reference is the model’s own OLMoE setup, routed: DT falls as γ grows', () => {
    const [low, middle, high] = REFERENCE;
    expect(low).toBeGreaterThan(middle!);
    expect(middle).toBeGreaterThan(high!);
    expect(high).toBeGreaterThan(0);
    // The same pre-drop counts the Routing lab gives for the setup with the cap at γ = 1.5 (Eq. 11).
    const { scenario } = applyEntries(defaultScenario(), [
      ...OLMOE_REFERENCE_ENTRIES,
      ['routing.capacity', 'expert'],
      ['routing.capacityFactor', 1.5],
    ]);
    const step = routeStep(scenario, 0, { layers: [0, 1] });
    const overflow = step.layers.reduce((sum, layer) => sum + layer.overflowPairs, 0);
    const routed = step.layers.reduce((sum, layer) => sum + layer.routedPairs, 0);
    expect(middle).toBeCloseTo(overflow / routed, 12);
  });

  it('follows how much the batch drops, not γ: little dropped costs little at any γ', () => {
    const cost = (dropped: number, gamma: number) =>
      estimateQualityCost(
        settings({ dropPolicy: 'score', capacityFactor: gamma }),
        dropping(dropped),
        'prefill',
      ).value;
    // The review’s case: uniform routing at γ = 1.05 drops 0.4% of pairs; γ alone used to say 2.7 points.
    expect(cost(0.004, 1.05)).toBeLessThan(0.1);
    expect(cost(0.004, 1.05)).toBe(cost(0.004, 2));
    // Halfway between the reference's γ = 1.5 and γ = 1.0 drops: halfway between their costs.
    expect(cost((REFERENCE[0]! + REFERENCE[1]!) / 2, 1.5)).toBeCloseTo((2.9 + 0.9) / 2, 12);
  });

  it('is monotone in DT and bounded by the baseline, within and beyond the paper’s range', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...POLICIES),
        fc.double({ min: 0.0001, max: 1, noNaN: true }),
        fc.double({ min: 0.0001, max: 1, noNaN: true }),
        fc.boolean(),
        (policy, a, b, expandedDrop) => {
          const [low, high] = a < b ? [a, b] : [b, a];
          const cost = (dropped: number) =>
            estimateQualityCost(settings({ dropPolicy: policy, expandedDrop }), dropping(dropped), 'prefill')
              .value;
          expect(cost(high)).toBeGreaterThanOrEqual(cost(low) - 1e-12);
          expect(Number.isFinite(cost(high)) && cost(high) >= 0 && cost(high) <= 64).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('says when DT is beyond what OLMoE drops at γ = 1.0: extrapolated from the 1.5–1.0 segment', () => {
    const beyond = estimateQualityCost(settings({ dropPolicy: 'score' }), dropping(0.5), 'prefill');
    const slope = (2.9 - 0.9) / (REFERENCE[0]! - REFERENCE[1]!);
    expect(beyond.value).toBeCloseTo(2.9 + (0.5 - REFERENCE[0]!) * slope, 10);
    expect(beyond.note).toMatch(/extrapolated/);
  });

  it('Expanded Drop scales the Score cost by Table 2’s OLMoE ratio 0.3/1.2, whatever the Token Drop policy', () => {
    for (const policy of POLICIES) {
      const metric = estimateQualityCost(
        settings({ dropPolicy: policy, expandedDrop: true }),
        dropping(REFERENCE[0]!),
        'prefill',
      );
      expect(metric.value).toBeCloseTo((64 - 61.1) * (0.3 / 1.2), 10);
      expect(metric.inputs.find((item) => item.symbol === 'r')?.value).toBeCloseTo(0.25, 10);
      expect(metric.source).toMatch(/Table 2/);
    }
  });

  it('capacity off costs nothing (dropless); device-level is read at the DT it drops, with the paper’s finding', () => {
    const off = estimateQualityCost(settings({ capacity: 'off' }), dropping(0), 'prefill');
    expect(off.value).toBe(0);
    expect(off.note).toMatch(/dropless/);
    const device = estimateQualityCost(
      settings({ capacity: 'device', dropPolicy: 'score' }),
      dropping(REFERENCE[1]!),
      'prefill',
    );
    expect(device.value).toBeCloseTo(0.9, 12);
    expect(device.note).toMatch(/§5\.2/);
  });

  it('in training gives no figure: Table 1 measures dropping at inference, not training with a limit', () => {
    const training = estimateQualityCost(settings({ dropPolicy: 'order' }), dropping(0.1), 'training');
    expect(training.shown).toBe('not estimated');
    expect(training.value).toBe(0);
    expect(training.note).toMatch(/trained with a capacity limit learns under it/);
    expect(training.note).toMatch(/Set Workload to prefill/);
    const prefill = estimateQualityCost(settings({ dropPolicy: 'order' }), dropping(0.1), 'prefill');
    expect(prefill.shown).toBeUndefined();
    expect(prefill.value).toBeGreaterThan(0);
    expect(prefill.note).not.toMatch(/training/i);
    // Nothing dropped costs nothing, in training too.
    expect(estimateQualityCost(settings({ dropPolicy: 'order' }), dropping(0), 'training').value).toBe(0);
  });

  it.each(['expert-choice', 'hash'] as const)(
    '%s: no calibration, shown as "not estimated" (value 0, never NaN) with a note',
    (gating) => {
      const metric = estimateQualityCost(settings({ gating, capacity: 'expert' }), dropping(0.1), 'prefill');
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
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom('training', 'prefill', 'decode') as fc.Arbitrary<WorkloadMode>,
        (overrides, dropped, mode) => {
          const metric = estimateQualityCost(settings(overrides), dropping(dropped), mode);
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
  it('is 0 when the batch dropped no pair, whatever γ', () => {
    const none = estimateQualityCost(
      settings({ dropPolicy: 'order', capacityFactor: 1 }),
      dropping(0),
      'prefill',
    );
    expect(none.value).toBe(0);
    expect(none.formula).toMatch(/no token-expert pair dropped/);
  });
});
