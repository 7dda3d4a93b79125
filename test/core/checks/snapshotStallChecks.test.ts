import { describe, expect, it } from 'vitest';
import { PAPER_CHECKS, evaluatePaperChecks } from '../../../src/core/checks/registry';
import { SNAPSHOT_STALL_CHECKS, snapshotOverPass } from '../../../src/core/checks/snapshotStallChecks';
import { checkpointCostBreakdown } from '../../../src/core/checkpoint/costs';
import type { ShardingStrategy } from '../../../src/core/checkpoint/types';
import { decodeFragment } from '../../../src/core/scenario/shareLink';
import type { Scenario } from '../../../src/core/scenario/types';

function checkOf(id: string) {
  const check = SNAPSHOT_STALL_CHECKS.find((candidate) => candidate.id === `checkpoint.fig11.${id}`);
  if (!check) throw new Error(`missing ${id}`);
  return check;
}

const scenarioOf = (id: string) => decodeFragment(checkOf(id).fragment).scenario;

/** The same job with another sharding and K (PEC off at K = 16): every other setting as the check's link has it. */
function priced(scenario: Scenario, sharding: ShardingStrategy, k: number) {
  const changed: Scenario = { ...scenario, checkpoint: { ...scenario.checkpoint, sharding, pec: k < 16 } };
  return checkpointCostBreakdown(changed, k);
}

describe('MoC-System Fig. 11 paper checks: when the snapshot stalls', () => {
  const results = evaluatePaperChecks(SNAPSHOT_STALL_CHECKS);
  const result = (id: string) => {
    const found = results.find((candidate) => candidate.id === `checkpoint.fig11.${id}`);
    if (!found) throw new Error(`missing ${id}`);
    return found;
  };

  it('registers both sides of each threshold: Case1 by sharding, Case3 by K', () => {
    expect(SNAPSHOT_STALL_CHECKS.map((check) => check.id)).toEqual([
      'checkpoint.fig11.case1.baselineStalls',
      'checkpoint.fig11.case1.shardedHides',
      'checkpoint.fig11.case3.k4Stalls',
      'checkpoint.fig11.case3.k3Hides',
    ]);
    for (const check of SNAPSHOT_STALL_CHECKS) expect(PAPER_CHECKS).toContain(check);
    expect(checkOf('case1.baselineStalls').paperFigure).toEqual({ kind: 'more-than', bound: 1 });
    expect(checkOf('case1.shardedHides').paperFigure).toEqual({ kind: 'at-most', bound: 1 });
    expect(checkOf('case3.k4Stalls').paperFigure).toEqual({ kind: 'more-than', bound: 1 });
    expect(checkOf('case3.k3Hides').paperFigure).toEqual({ kind: 'at-most', bound: 1 });
  });

  it.each([
    ['case1.baselineStalls', 8, 8, 'baseline', false, 16],
    ['case1.shardedHides', 8, 8, 'adaptive', false, 16],
    ['case3.k4Stalls', 16, 8, 'baseline', true, 4],
    ['case3.k3Hides', 16, 8, 'baseline', true, 3],
  ] as const)(
    '%s: the link is MoC Table 2’s case on A800s, saved asynchronously in two levels',
    (id, dp, ep, sharding, pec, k) => {
      const { scenario, messages } = decodeFragment(checkOf(id).fragment);
      expect(messages).toEqual([]);
      expect(scenario.model.preset).toBe('gpt-350m-16e');
      expect(scenario.hardware).toMatchObject({
        gpu: 'a800',
        gpusPerNode: 8,
        computeEfficiency: 0.2,
        hostLinkGBps: 1,
      });
      expect(scenario.parallelism).toEqual({ dp, ep, tp: 1, zeroStage: 2 });
      expect(scenario.workload).toMatchObject({ batchSize: 256, seqLen: 2048, mode: 'training' });
      expect(scenario.checkpoint).toMatchObject({ sharding, pec, twoLevel: true, asynchronous: true });
      expect(checkpointCostBreakdown(scenario).k).toBe(k);
    },
  );

  it('the figure is T_snapshot / T_F&B, so above 1 exactly when Eq. 10 prices a stall', () => {
    for (const check of SNAPSHOT_STALL_CHECKS) {
      const scenario = decodeFragment(check.fragment).scenario;
      const { costs } = checkpointCostBreakdown(scenario);
      const metric = snapshotOverPass(scenario);
      expect(metric.value, check.id).toBe(costs.snapshotSeconds / costs.iterationSeconds);
      expect(metric.value > 1, check.id).toBe(costs.saveStallSeconds > 0);
      expect(metric.unit).toBe(check.unit);
    }
  });

  it('Case1: the baseline’s snapshot stalls (met); fully sharded it still stalls (missed, with its reason)', () => {
    expect(result('case1.baselineStalls').verdict).toBe('meets');
    expect(result('case1.baselineStalls').modelValue).toBeCloseTo(1.64, 2);
    const sharded = result('case1.shardedHides');
    expect(sharded.verdict).toBe('outside');
    expect(sharded.modelValue).toBeCloseTo(1.46, 2);
    expect(sharded.gapExplanation).toMatch(/single replica/);
  });

  it('Case3: K = 3 hides (met); K = 4 hides too, 2.7% short of a stall (missed, with its reason)', () => {
    expect(result('case3.k3Hides').verdict).toBe('meets');
    const k4 = result('case3.k4Stalls');
    expect(k4.verdict).toBe('outside');
    expect(k4.gap).toBeCloseTo(-0.027, 3);
    expect(k4.gapExplanation).toMatch(/one K later/);
  });

  it('the two sides pin each threshold: the snapshot grows with K and shrinks with sharding', () => {
    const case3 = scenarioOf('case3.k4Stalls');
    const ratios = Array.from({ length: 16 }, (_, index) => {
      const { costs } = priced(case3, 'baseline', index + 1);
      return costs.snapshotSeconds / costs.iterationSeconds;
    });
    for (let k = 1; k < 16; k += 1)
      expect(ratios[k], `K=${k + 1}`).toBeGreaterThanOrEqual(ratios[k - 1] ?? 0);
    // The model's Case3 threshold: the first K that stalls is 5, one later than the paper's 4.
    expect(ratios.findIndex((ratio) => ratio > 1) + 1).toBe(5);
    const case1 = scenarioOf('case1.baselineStalls');
    const baseline = priced(case1, 'baseline', 16).costs.snapshotSeconds;
    for (const sharding of ['equal', 'adaptive'] as const)
      expect(priced(case1, sharding, 16).costs.snapshotSeconds).toBeLessThan(baseline);
  });

  describe('the gap explanations quote the model’s own figures', () => {
    const case1 = scenarioOf('case1.baselineStalls');
    const case3 = scenarioOf('case3.k4Stalls');
    const base16 = priced(case1, 'baseline', 16);
    const sharded16 = priced(case1, 'adaptive', 16);
    const k3 = priced(case3, 'baseline', 3);
    const k4 = priced(case3, 'baseline', 4);
    const pass1 = base16.iteration;
    const pass3 = k4.iteration;
    const GB = 1e9;
    const fixed = (value: number, digits: number) => value.toFixed(digits);
    // The host link each claim needs at the model's pass: T_snapshot = C / BW sits on the right side of T_F&B.
    const bandwidth = (bytes: number, pass: number) => bytes / GB / pass;
    // The compute efficiency each needs at 1 GB/s: T_compute · 0.2 / η + T_a2a = T_snapshot.
    const efficiency = (snapshotSeconds: number, pass: typeof pass1) =>
      (0.2 * pass.computeSeconds) / (snapshotSeconds - pass.allToAllSeconds);
    const window = {
      case1Bandwidth: [
        bandwidth(sharded16.snapshot.bottleneckGpuBytes, pass1.totalSeconds),
        bandwidth(base16.snapshot.bottleneckGpuBytes, pass1.totalSeconds),
      ],
      case3Bandwidth: [
        bandwidth(k3.snapshot.bottleneckGpuBytes, pass3.totalSeconds),
        bandwidth(k4.snapshot.bottleneckGpuBytes, pass3.totalSeconds),
      ],
      case1Efficiency: [
        efficiency(base16.costs.snapshotSeconds, pass1),
        efficiency(sharded16.costs.snapshotSeconds, pass1),
      ],
      case3Efficiency: [
        efficiency(k4.costs.snapshotSeconds, pass3),
        efficiency(k3.costs.snapshotSeconds, pass3),
      ],
      passRatio: [
        sharded16.costs.snapshotSeconds / k4.costs.snapshotSeconds,
        base16.costs.snapshotSeconds / k3.costs.snapshotSeconds,
      ],
    };
    const range = ([low = 0, high = 0]: number[], digits: number, scale = 1) =>
      `${fixed(low * scale, digits)}–${fixed(high * scale, digits)}`;

    it('no one snapshot link or efficiency meets both thresholds', () => {
      const disjoint = ([a = 0, b = 0]: number[], [c = 0, d = 0]: number[]) =>
        Math.max(a, c) > Math.min(b, d);
      expect(disjoint(window.case1Bandwidth, window.case3Bandwidth)).toBe(true);
      expect(disjoint(window.case1Efficiency, window.case3Efficiency)).toBe(true);
      const modelRatio = pass1.totalSeconds / pass3.totalSeconds;
      expect(modelRatio).toBeLessThan(window.passRatio[0] ?? 0);
      const text = checkOf('case1.shardedHides').gapExplanation ?? '';
      expect(text).toContain(
        `${range(window.case1Bandwidth, 2)} GB/s (or ${range(window.case1Efficiency, 0, 100)}% of peak)`,
      );
      expect(text).toContain(
        `Case3’s ${range(window.case3Bandwidth, 2)} GB/s (or ${range(window.case3Efficiency, 0, 100)}%)`,
      );
      expect(text).toContain(`Case1 pass is ${fixed(modelRatio, 0)}×`);
      expect(text).toContain(`put it at ${range(window.passRatio, 1)}×`);
      expect(checkOf('case3.k4Stalls').gapExplanation).toContain(text.slice(text.indexOf('No one A800')));
    });

    it('Case1: bytes and seconds of the busiest GPU', () => {
      const text = checkOf('case1.shardedHides').gapExplanation ?? '';
      const composition = sharded16.composition;
      const expertOptimizerPerGpu =
        (composition.expertOptimizerBytes / sharded16.layout.expertParallel) *
        (sharded16.layout.expertParallel / sharded16.layout.dataParallel);
      expect(text).toContain(`snapshots ${fixed(sharded16.snapshot.bottleneckGpuBytes / GB, 2)} GB`);
      expect(text).toContain(
        `${fixed(expertOptimizerPerGpu / GB, 2)} GB of it its experts’ optimizer states`,
      );
      expect(text).toContain(
        `${fixed(base16.costs.snapshotSeconds, 2)} → ${fixed(sharded16.costs.snapshotSeconds, 2)} s`,
      );
      expect(text).toContain(`a ${fixed(pass1.totalSeconds, 2)} s pass`);
      expect(priced(case1, 'equal', 16).costs.snapshotSeconds).toBeCloseTo(
        sharded16.costs.snapshotSeconds,
        2,
      );
    });

    it('Case3: bytes and seconds of rank 0 around the threshold', () => {
      const text = checkOf('case3.k4Stalls').gapExplanation ?? '';
      expect(k4.snapshot.bottleneckRank).toBe(0);
      expect(text).toContain(`snapshots ${fixed(k4.snapshot.bottleneckGpuBytes / GB, 2)} GB`);
      expect(text).toContain(`the whole ${fixed(k4.composition.nonExpertWeightBytes / GB, 2)} GB`);
      // K·N_moe / EP experts saved by each EP rank's owner.
      expect(text).toContain(`the ${(4 * k4.composition.moeLayers) / k4.layout.expertParallel} experts`);
      expect(text).toContain(
        `${fixed(k4.costs.snapshotSeconds, 2)} s against a ${fixed(pass3.totalSeconds, 2)} s pass, ${fixed(
          -100 * (k4.costs.snapshotSeconds / pass3.totalSeconds - 1),
          1,
        )}% short`,
      );
      expect(text).toContain(
        `K = 5 stalls (${fixed(priced(case3, 'baseline', 5).costs.snapshotSeconds, 2)} s)`,
      );
      const adaptive8 = priced(case3, 'adaptive', 8).costs;
      expect(adaptive8.snapshotSeconds).toBeLessThan(adaptive8.iterationSeconds);
      expect(text).toContain(`hides K = 8 (${fixed(adaptive8.snapshotSeconds, 2)} s)`);
    });
  });
});
