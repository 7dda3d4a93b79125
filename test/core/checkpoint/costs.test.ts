import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIELD_BY_KEY } from '../../../src/core/scenario/fields';
import { checkpointCostBreakdown, checkpointCosts } from '../../../src/core/checkpoint/costs';
import { checkpointComposition, pecCheckpointBytes } from '../../../src/core/checkpoint/sizes';
import type { CheckpointCosts } from '../../../src/core/checkpoint/types';
import { defaultScenario } from '../../../src/core/scenario/defaults';
import type { Scenario } from '../../../src/core/scenario/types';
import { applyEntries } from '../../../src/core/scenario/validate';
import { scenarioArbitrary } from '../support/scenarioArbitrary';

function scenarioWith(entries: [string, unknown][]): Scenario {
  const { scenario, messages } = applyEntries(defaultScenario(), entries);
  expect(messages).toEqual([]);
  return scenario;
}

function withCheckpoint(scenario: Scenario, settings: Partial<Scenario['checkpoint']>): Scenario {
  return { ...scenario, checkpoint: { ...scenario.checkpoint, ...settings } };
}

/** MoC Case1: GPT-350M-16E on one node of 8 A800s, DP8 EP8, 1 GB/s GPU→CPU, 5 GB/s storage per node. */
const case1 = scenarioWith([
  ['model', 'gpt-350m-16e'],
  ['gpu', 'a800'],
  ['batch', 256],
  ['seq', 2048],
  ['computeEff', 0.2],
  ['hostLinkGBps', 1],
  ['storageWriteGBps', 5],
]);

const FIELDS: readonly (keyof CheckpointCosts)[] = [
  'iterationSeconds',
  'snapshotSeconds',
  'persistSeconds',
  'saveStallSeconds',
  'restartSeconds',
  'checkpointBytes',
  'bottleneckRankBytes',
];

describe('checkpointCosts: the contract the fault simulation consumes', () => {
  it('every figure is finite and ≥ 0 for any valid scenario and K', () => {
    fc.assert(
      fc.property(scenarioArbitrary, fc.integer({ min: 1, max: 4096 }), (scenario, k) => {
        const costs = checkpointCosts(scenario)(k);
        for (const field of FIELDS) {
          expect(Number.isFinite(costs[field]), field).toBe(true);
          expect(costs[field], field).toBeGreaterThanOrEqual(0);
        }
        expect(costs.iterationSeconds).toBeGreaterThan(0);
        expect(costs.saveStallSeconds).toBeLessThanOrEqual(costs.snapshotSeconds);
        expect(costs.restartSeconds).toBeGreaterThanOrEqual(scenario.checkpoint.restartMinutes * 60);
      }),
      { numRuns: 150 },
    );
  });

  it('an asynchronous save never stalls longer than a blocking one', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        const k = scenario.checkpoint.expertsPerCheckpoint;
        const asynchronous = checkpointCosts(withCheckpoint(scenario, { asynchronous: true }))(k);
        const blocking = checkpointCosts(withCheckpoint(scenario, { asynchronous: false }))(k);
        expect(asynchronous.saveStallSeconds).toBeLessThanOrEqual(blocking.saveStallSeconds);
        // MoC Eq. 10.
        expect(asynchronous.saveStallSeconds).toBeCloseTo(
          Math.max(0, asynchronous.snapshotSeconds - asynchronous.iterationSeconds),
          9,
        );
        expect(blocking.saveStallSeconds).toBe(blocking.snapshotSeconds);
      }),
      { numRuns: 100 },
    );
  });

  it('writes C_pec(K) per checkpoint; PEC off prices every K as all N experts', () => {
    const composition = checkpointComposition(case1);
    const costs = checkpointCosts(case1);
    for (const k of [1, 2, 4, 8, 16]) {
      expect(costs(k).checkpointBytes).toBeCloseTo(pecCheckpointBytes(composition, k), -1);
    }
    const off = checkpointCosts(withCheckpoint(case1, { pec: false }));
    expect(off(1)).toEqual(off(16));
    expect(off(1).checkpointBytes).toBeCloseTo(composition.fullBytes, -1);
    expect(costs(16).checkpointBytes).toBeCloseTo(off(3).checkpointBytes, -1);
  });

  it('memoises per K and clamps K to [1, N]', () => {
    const costs = checkpointCosts(case1);
    expect(costs(4)).toBe(costs(4));
    expect(costs(99)).toBe(costs(16));
    expect(costs(0)).toBe(costs(1));
  });

  it('bigger K never shrinks the checkpoint or its snapshot (Case1, every strategy)', () => {
    for (const sharding of ['baseline', 'equal', 'adaptive'] as const) {
      const costs = checkpointCosts(withCheckpoint(case1, { sharding }));
      let previous = costs(1);
      for (const k of [2, 4, 8, 16]) {
        const next = costs(k);
        expect(next.checkpointBytes).toBeGreaterThan(previous.checkpointBytes);
        expect(next.snapshotSeconds).toBeGreaterThanOrEqual(previous.snapshotSeconds * (1 - 1e-12));
        previous = next;
      }
    }
  });

  it('two-level: snapshot over the host link, persist K_persist from each node; off: no persist', () => {
    const detail = checkpointCostBreakdown(case1);
    expect(detail.k).toBe(4);
    expect(detail.kPersist).toBe(1);
    // T_snapshot = bottleneck GPU bytes / 1 GB/s.
    expect(detail.costs.snapshotSeconds).toBeCloseTo(detail.snapshot.bottleneckGpuBytes / 1e9, 9);
    const persistBytes = detail.persistNodes?.nodeBytes[0] ?? 0;
    expect(persistBytes).toBeLessThan(detail.snapshot.totalBytes);
    expect(detail.costs.persistSeconds).toBeCloseTo(persistBytes / 5e9, 9);
    const direct = checkpointCosts(withCheckpoint(case1, { twoLevel: false }))(4);
    expect(direct.persistSeconds).toBe(0);
  });

  it('the blocking Megatron-DeepSpeed baseline of Case1: rank 0’s copy to the host, then the node’s write', () => {
    const baseline = checkpointCostBreakdown(
      withCheckpoint(case1, { sharding: 'baseline', pec: false, twoLevel: false, asynchronous: false }),
    );
    const c = baseline.composition;
    // Rank 0: all non-expert weights, its 2 of 16 experts' weights, and its ZeRO-2 optimizer shard.
    const rank0 =
      c.nonExpertWeightBytes +
      c.expertWeightBytes / 8 +
      (c.nonExpertOptimizerBytes + c.expertOptimizerBytes) / 8;
    expect(baseline.snapshot.bottleneckRank).toBe(0);
    expect(baseline.snapshot.bottleneckRankBytes).toBeCloseTo(rank0, -1);
    // One node writes the whole checkpoint.
    expect(baseline.costs.snapshotSeconds).toBeCloseTo(rank0 / 1e9 + c.fullBytes / 5e9, 6);
    expect(baseline.costs.saveStallSeconds).toBe(baseline.costs.snapshotSeconds);
  });

  it('MoC-Async hides its snapshot behind the iteration in Case1 (Eq. 10: no stall)', () => {
    const costs = checkpointCosts(case1)(4);
    expect(costs.snapshotSeconds).toBeLessThan(costs.iterationSeconds);
    expect(costs.saveStallSeconds).toBe(0);
  });

  it('restart adds the time to read the state back to the restart minutes', () => {
    const detail = checkpointCostBreakdown(case1);
    expect(detail.loadSeconds).toBeGreaterThan(0);
    expect(detail.costs.restartSeconds).toBeCloseTo(
      case1.checkpoint.restartMinutes * 60 + detail.loadSeconds,
      9,
    );
    // Case1: each GPU holds the non-expert weights, 2 experts and a 1/8 optimizer shard; the node reads 8 of them.
    const c = detail.composition;
    const perGpu =
      c.nonExpertWeightBytes +
      c.expertWeightBytes / 8 +
      (c.nonExpertOptimizerBytes + c.expertOptimizerBytes) / 8;
    expect(detail.loadSeconds).toBeCloseTo((8 * perGpu) / 5e9 + perGpu / 1e9, 6);
  });

  it('notes the MoC §4.3 imbalance when K·N_moe does not split over EP', () => {
    // 12 MoE layers × K = 2 = 24 experts: 3 per EP rank of 8, one replica each.
    const even = checkpointCostBreakdown(
      scenarioWith([
        ['model', 'gpt-350m-16e'],
        ['ep', 8],
        ['dp', 8],
      ]),
      2,
    );
    expect(even.imbalanceNote).toBeUndefined();
    const uneven = checkpointCostBreakdown(
      scenarioWith([
        ['model', 'gpt-350m-16e'],
        ['ep', 16],
        ['dp', 16],
      ]),
      1,
    );
    expect(uneven.imbalanceNote).toMatch(/§4\.3/);
  });

  it('warns that two-level saving cannot help recovery when every node holds every expert', () => {
    const oneNode = checkpointCostBreakdown(defaultScenario());
    expect(oneNode.snapshotNodes.nodeBytes).toHaveLength(1);
    expect(oneNode.storageRecoveryNote).toMatch(/one node.*K_persist = 1 of the K = 4/);
    // Two nodes with an EP group of 8 inside each (the paper's Case 3 layout): every node holds every expert.
    expect(checkpointCostBreakdown(scenarioWith([['dp', 16]])).storageRecoveryNote).toMatch(
      /Each of the 2 nodes holds a shard of every expert/,
    );
    // EP across the two nodes (Case 2): healthy nodes restore their experts from memory, but the failed node's half
    // still comes from storage, so the note says both sides.
    const case2 = checkpointCostBreakdown(
      scenarioWith([
        ['ep', 16],
        ['dp', 16],
        ['model', 'olmoe-1b-7b'],
      ]),
    ).storageRecoveryNote;
    expect(case2).toMatch(/healthy nodes restore their experts from the newer in-memory snapshot/);
    expect(case2).toMatch(
      /the failed node restores its experts from storage, where only K_persist = 1 of the K = 4/,
    );
    expect(case2).toMatch(/With 2 nodes, 1\/2 of the experts come from storage/);
    // Single-level saving, or persisting every snapshotted expert: nothing to warn about.
    expect(
      checkpointCostBreakdown(scenarioWith([['checkpoint.twoLevel', false]])).storageRecoveryNote,
    ).toBeUndefined();
    expect(
      checkpointCostBreakdown(scenarioWith([['checkpoint.expertsPersisted', 4]])).storageRecoveryNote,
    ).toBeUndefined();
  });

  it('says two-level saving can raise PLT on the reviewer’s two-node GPT-350M-16E run, help included', () => {
    // Two-level PLT was 18.2% here against 6.2% single-level saving all K = 4: only K_persist = 1 reaches storage.
    const note = checkpointCostBreakdown(
      scenarioWith([
        ['model', 'gpt-350m-16e'],
        ['gpu', 'a800'],
        ['ep', 16],
        ['dp', 16],
        ['routing.profile', 'uniform'],
        ['checkpoint.dynamicK', false],
        ['checkpoint.mtbfHours', 0.5],
        ['checkpoint.restartMinutes', 1],
        ['checkpoint.intervalIterations', 32],
      ]),
    ).storageRecoveryNote;
    // The paper's trade-off is at the same persist budget (single-level saving of K_persist), where two-level
    // saving helps (27.9% single-level with K = 1 here); PLT can exceed a single-level save of all K.
    expect(note).not.toMatch(/at the same K/);
    expect(note).toMatch(/At the same persist budget, the paper’s comparison, it helps/);
    expect(note).toMatch(
      /single-level saving with K = K_persist = 1, the failed node’s experts come back about as old/,
    );
    expect(note).toMatch(/Against a single-level save of all K = 4, .*PLT can end up above that save’s/);
    const help = FIELD_BY_KEY.get('checkpoint.twoLevel')?.help;
    expect(help).toMatch(/healthy nodes recover from the newer snapshot/i);
    expect(help).toMatch(/failed node restores its experts from storage/);
    expect(help).toMatch(
      /At the same persist budget \(single-level saving of K_persist experts\) that helps/,
    );
    expect(help).toMatch(/PLT can rise above that of single-level saving of all K/);
  });

  it('says that an inference workload is priced as training steps, and prices it the same', () => {
    expect(checkpointCostBreakdown(defaultScenario()).trainingOnlyNote).toBeUndefined();
    const prefill = checkpointCostBreakdown(scenarioWith([['mode', 'prefill']]));
    expect(prefill.trainingOnlyNote).toMatch(/prices training steps.*set to inference prefill/);
    expect(prefill.costs.iterationSeconds).toBe(
      checkpointCostBreakdown(defaultScenario()).costs.iterationSeconds,
    );
  });
});
