import { describe, expect, it } from 'vitest';
import { CHECKPOINT_CHECKS } from '../../../src/core/checks/checkpointChecks';
import { PAPER_CHECKS, evaluatePaperChecks } from '../../../src/core/checks/registry';
import { checkpointCostBreakdown } from '../../../src/core/checkpoint/costs';
import { decodeFragment } from '../../../src/core/scenario/shareLink';

const CASES = [
  ['case1', 8, 8, 1],
  ['case2', 16, 16, 2],
  ['case3', 16, 8, 2],
] as const;

describe('MoC-System paper checks (§6.2.3, Fig. 12)', () => {
  it('registers a save-reduction, speedup and residual check for each of Cases 1–3', () => {
    expect(CHECKPOINT_CHECKS.map((check) => check.id)).toEqual(
      CASES.flatMap(([id]) =>
        ['saveReduction', 'iterationSpeedup', 'residualOverhead'].map(
          (claim) => `checkpoint.moc-async.${id}.${claim}`,
        ),
      ),
    );
    for (const check of CHECKPOINT_CHECKS) expect(PAPER_CHECKS).toContain(check);
  });

  it.each(CASES)(
    '%s: the link reproduces Table 2 on A800s, with MoC-Async as the checkpoint settings',
    (id, dp, ep, nodes) => {
      const check = CHECKPOINT_CHECKS.find(
        (candidate) => candidate.id === `checkpoint.moc-async.${id}.saveReduction`,
      );
      if (!check) throw new Error(`missing ${id}`);
      const { scenario, messages } = decodeFragment(check.fragment);
      expect(messages).toEqual([]);
      expect(scenario.model.preset).toBe('gpt-350m-16e');
      expect(scenario.hardware.gpu).toBe('a800');
      expect(scenario.parallelism).toEqual({ dp, ep, tp: 1, zeroStage: 2 });
      expect((dp * 1) / scenario.hardware.gpusPerNode).toBe(nodes);
      // Stated by MoC §6.2.4 for A800: 20% of 312 TFLOPS, 1 GB/s GPU→CPU.
      expect(scenario.hardware.computeEfficiency).toBe(0.2);
      expect(scenario.hardware.hostLinkGBps).toBe(1);
      // The DeepSpeed-MoE GPT-350M recipe: 256 sequences of 2,048 tokens.
      expect(scenario.workload.batchSize).toBe(256);
      expect(scenario.workload.seqLen).toBe(2048);
      expect(scenario.checkpoint).toMatchObject({
        pec: true,
        expertsPerCheckpoint: 4,
        expertsPersisted: 1,
        sharding: 'adaptive',
        twoLevel: true,
        asynchronous: true,
      });
    },
  );

  const results = evaluatePaperChecks(CHECKPOINT_CHECKS);

  it('the save reduction and the speedup are reproduced in every case', () => {
    for (const result of results.filter((r) => !r.id.endsWith('residualOverhead'))) {
      expect(result.withinTolerance, `${result.id}: ${result.modelValue}`).toBe(true);
    }
    for (const result of results.filter((r) => r.id.endsWith('iterationSpeedup'))) {
      expect(result.modelValue).toBeGreaterThan(3);
      expect(result.modelValue).toBeLessThan(6);
    }
  });

  it('the residual is an honest gap: Eq. 10 leaves nothing of a hidden snapshot', () => {
    for (const result of results.filter((r) => r.id.endsWith('residualOverhead'))) {
      expect(result.modelValue).toBe(0);
      expect(result.withinTolerance).toBe(false);
      expect(result.gapExplanation).toMatch(/Eq\. 10/);
    }
  });

  it.each(CASES)(
    '%s: MoC-Async’s snapshot fits inside the iteration; the baseline blocks for seconds',
    (id) => {
      const check = CHECKPOINT_CHECKS.find(
        (candidate) => candidate.id === `checkpoint.moc-async.${id}.iterationSpeedup`,
      );
      if (!check) throw new Error(`missing ${id}`);
      const { scenario } = decodeFragment(check.fragment);
      const moc = checkpointCostBreakdown(scenario);
      expect(moc.costs.snapshotSeconds).toBeLessThan(moc.costs.iterationSeconds);
      const metric = check.compute(scenario);
      const inputs = Object.fromEntries(metric.inputs.map((item) => [item.symbol, item.value]));
      expect(inputs['O_save,base']).toBeGreaterThan(2 * (inputs['T_F&B'] ?? 0));
    },
  );

  it('evaluates fast (< 200 ms for all of them)', () => {
    const start = performance.now();
    evaluatePaperChecks(CHECKPOINT_CHECKS);
    expect(performance.now() - start).toBeLessThan(200);
  });
});
