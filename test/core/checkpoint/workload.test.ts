import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkpointCostBreakdown } from '../../../src/core/checkpoint/costs';
import { nonExpertModules } from '../../../src/core/checkpoint/modules';
import { sequentialOwnerCounts, sequentialPointer } from '../../../src/core/checkpoint/selection';
import {
  checkpointComposition,
  pecCheckpointBytes,
  type CheckpointComposition,
} from '../../../src/core/checkpoint/sizes';
import type { ShardingStrategy } from '../../../src/core/checkpoint/types';
import {
  bytesPerNode,
  checkpointWorkload,
  idealRankBytesEq8,
  pecImbalanceNote,
  rankLayout,
  type RankLayout,
} from '../../../src/core/checkpoint/workload';
import { GPT_350M_16E_CASES, mocCaseFragment } from '../../../src/core/checks/mocSetup';
import { defaultScenario } from '../../../src/core/scenario/defaults';
import { resolveArchitecture } from '../../../src/core/scenario/resolve';
import { decodeFragment } from '../../../src/core/scenario/shareLink';
import type { Scenario } from '../../../src/core/scenario/types';
import { applyEntries } from '../../../src/core/scenario/validate';

const STRATEGIES: readonly ShardingStrategy[] = ['baseline', 'equal', 'adaptive'];

function scenarioWith(entries: [string, unknown][]): Scenario {
  const { scenario, messages } = applyEntries(defaultScenario(), entries);
  expect(messages).toEqual([]);
  return scenario;
}

/** A synthetic job: a composition, its non-expert modules, a layout and one checkpoint's saved experts per EP rank. */
interface Job {
  composition: CheckpointComposition;
  modules: Float64Array;
  layout: RankLayout;
  owners: Float64Array;
  k: number;
}

const jobArbitrary: fc.Arbitrary<Job> = fc
  .record({
    ep: fc.constantFrom(1, 2, 3, 4, 8, 16),
    replicas: fc.integer({ min: 1, max: 6 }),
    perRank: fc.integer({ min: 1, max: 4 }),
    moeLayers: fc.integer({ min: 1, max: 12 }),
    rawK: fc.integer({ min: 1, max: 64 }),
    checkpoint: fc.integer({ min: 0, max: 100 }),
    perExpert: fc.integer({ min: 1, max: 1e6 }),
    modules: fc.array(fc.integer({ min: 1, max: 5e6 }), { minLength: 1, maxLength: 40 }),
    weightBytes: fc.constantFrom(0.5, 1, 2),
    optimizerBytes: fc.constantFrom(0, 4, 12),
    tp: fc.constantFrom(1, 2, 3, 4),
    gpusPerNode: fc.constantFrom(1, 4, 6, 8),
    zeroStage: fc.integer({ min: 0, max: 3 }),
  })
  .map((r) => {
    const experts = r.ep * r.perRank;
    const k = Math.min(r.rawK, experts);
    const modules = Float64Array.from(r.modules).sort().reverse();
    const nonExpertParams = modules.reduce((sum, params) => sum + params, 0);
    const expertParams = r.moeLayers * experts * r.perExpert;
    const composition: CheckpointComposition = {
      nonExpertParams,
      expertParams,
      paramsPerExpert: r.perExpert,
      moeLayers: r.moeLayers,
      experts,
      weightBytesPerParam: r.weightBytes,
      optimizerBytesPerParam: r.optimizerBytes,
      nonExpertWeightBytes: nonExpertParams * r.weightBytes,
      nonExpertOptimizerBytes: nonExpertParams * r.optimizerBytes,
      expertWeightBytes: expertParams * r.weightBytes,
      expertOptimizerBytes: expertParams * r.optimizerBytes,
      fullBytes: (nonExpertParams + expertParams) * (r.weightBytes + r.optimizerBytes),
    };
    const layout: RankLayout = {
      dataParallel: r.ep * r.replicas,
      expertParallel: r.ep,
      tensorParallel: r.tp,
      gpusPerNode: r.gpusPerNode,
      zeroStage: r.zeroStage,
    };
    const owners = new Float64Array(r.ep);
    sequentialOwnerCounts(r.moeLayers, experts, r.ep, k, sequentialPointer(r.checkpoint, k, experts), owners);
    return { composition, modules, layout, owners, k };
  });

function workloadOf(job: Job, strategy: ShardingStrategy) {
  return checkpointWorkload(job.composition, job.modules, job.layout, strategy, job.owners);
}

describe('per-rank save bytes under ZeRO DP + EP (MoC §4, Eq. 8)', () => {
  it('every strategy saves each byte of C_pec exactly once', () => {
    fc.assert(
      fc.property(jobArbitrary, (job) => {
        const expected = pecCheckpointBytes(job.composition, job.k);
        for (const strategy of STRATEGIES) {
          const workload = workloadOf(job, strategy);
          expect(workload.rankBytes.length).toBe(job.layout.dataParallel);
          const sum = workload.rankBytes.reduce((total, bytes) => total + bytes, 0);
          expect(Math.abs(sum - expected)).toBeLessThanOrEqual(expected * 1e-9 + 1e-6);
          expect(Math.abs(workload.totalBytes - expected)).toBeLessThanOrEqual(expected * 1e-9 + 1e-6);
          for (const bytes of workload.rankBytes) expect(bytes).toBeGreaterThanOrEqual(0);
          expect(workload.bottleneckRankBytes).toBe(Math.max(...workload.rankBytes));
          expect(workload.bottleneckGpuBytes).toBeCloseTo(
            workload.bottleneckRankBytes / job.layout.tensorParallel,
            6,
          );
        }
      }),
      { numRuns: 400 },
    );
  });

  it('adaptive sharding never has a heavier bottleneck than the baseline', () => {
    fc.assert(
      fc.property(jobArbitrary, (job) => {
        const adaptive = workloadOf(job, 'adaptive').bottleneckRankBytes;
        const baseline = workloadOf(job, 'baseline').bottleneckRankBytes;
        expect(adaptive).toBeLessThanOrEqual(baseline * (1 + 1e-12));
      }),
      { numRuns: 400 },
    );
  });

  it('under ZeRO-3 every rank saves its own shard, whatever the strategy', () => {
    fc.assert(
      fc.property(jobArbitrary, (generated) => {
        const job = { ...generated, layout: { ...generated.layout, zeroStage: 3 } };
        const baseline = Array.from(workloadOf(job, 'baseline').rankBytes);
        expect(Array.from(workloadOf(job, 'equal').rankBytes)).toEqual(baseline);
        expect(Array.from(workloadOf(job, 'adaptive').rankBytes)).toEqual(baseline);
      }),
      { numRuns: 100 },
    );
  });

  it('node sums add up to the rank sums and no GPU exceeds its node', () => {
    fc.assert(
      fc.property(jobArbitrary, (job) => {
        const workload = workloadOf(job, 'adaptive');
        const nodes = bytesPerNode(workload.rankBytes, job.layout);
        const gpus = job.layout.dataParallel * job.layout.tensorParallel;
        expect(nodes.nodeBytes.length).toBe(Math.ceil(gpus / job.layout.gpusPerNode));
        const sum = nodes.nodeBytes.reduce((total, bytes) => total + bytes, 0);
        expect(sum).toBeCloseTo(workload.totalBytes, -1);
        for (let node = 0; node < nodes.nodeBytes.length; node += 1) {
          expect(nodes.maxGpuBytes[node] ?? 0).toBeLessThanOrEqual(
            (nodes.nodeBytes[node] ?? 0) * (1 + 1e-12),
          );
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('the three strategies on the paper’s setups', () => {
  const cases = [
    ['Case1 DP8 EP8', 8, 8],
    ['Case2 DP16 EP16', 16, 16],
    ['Case3 DP16 EP8', 16, 8],
  ] as const;

  function job(dp: number, ep: number, k: number): Job {
    const scenario = scenarioWith([
      ['model', 'gpt-350m-16e'],
      ['ep', ep],
      ['dp', dp],
    ]);
    const composition = checkpointComposition(scenario);
    const owners = new Float64Array(ep);
    sequentialOwnerCounts(composition.moeLayers, composition.experts, ep, k, 0, owners);
    return {
      composition,
      modules: nonExpertModules(resolveArchitecture(scenario)),
      layout: rankLayout(scenario),
      owners,
      k,
    };
  }

  it.each(cases)(
    '%s: adaptive ≤ equal < baseline for a full checkpoint; adaptive ≤ both with PEC',
    (_name, dp, ep) => {
      for (const k of [16, 4, 1]) {
        const j = job(dp, ep, k);
        const [baseline, equal, adaptive] = STRATEGIES.map(
          (strategy) => workloadOf(j, strategy).bottleneckRankBytes,
        );
        expect(adaptive).toBeLessThanOrEqual(equal ?? 0);
        expect(adaptive).toBeLessThanOrEqual(baseline ?? 0);
        if (k === 16) expect(equal).toBeLessThan(baseline ?? 0);
      }
    },
  );

  it('adaptive sharding gains over equal exactly where PEC unbalances the ranks (MoC §4.3: K·N_moe mod D_ep ≠ 0)', () => {
    // Case1, 12 MoE layers over 8 EP ranks. K = 2: 24 saves, 3 per rank, nothing for adaptive sharding to even out.
    // K = 3: 36 saves, so four ranks save 5 experts and four save 4; adaptive sharding gives the busy ranks less of
    // the non-expert part, which equal sharding, blind to PEC, spreads evenly.
    const balanced = job(8, 8, 2);
    expect(new Set(balanced.owners)).toEqual(new Set([3]));
    const [, equalBalanced, adaptiveBalanced] = STRATEGIES.map(
      (strategy) => workloadOf(balanced, strategy).bottleneckRankBytes,
    );
    expect(adaptiveBalanced).toBe(equalBalanced);
    const uneven = job(8, 8, 3);
    expect([Math.min(...uneven.owners), Math.max(...uneven.owners)]).toEqual([4, 5]);
    const [baseline, equal, adaptive] = STRATEGIES.map(
      (strategy) => workloadOf(uneven, strategy).bottleneckRankBytes,
    );
    expect(adaptive).toBeLessThan(equal ?? 0);
    expect(equal).toBeLessThan(baseline ?? 0);
  });

  it('the baseline puts the whole non-expert part on rank 0 and the experts on EP group 0', () => {
    const j = job(16, 8, 16);
    const workload = workloadOf(j, 'baseline');
    const c = j.composition;
    // ZeRO-2: every rank saves its optimizer shard, (P_ne + P_e)·B_o / D_dp.
    const shard = (c.nonExpertOptimizerBytes + c.expertOptimizerBytes) / 16;
    const expertWeightsPerRank = c.expertWeightBytes / 8;
    expect(workload.rankBytes[0]).toBeCloseTo(shard + expertWeightsPerRank + c.nonExpertWeightBytes, -1);
    expect(workload.rankBytes[3]).toBeCloseTo(shard + expertWeightsPerRank, -1);
    expect(workload.rankBytes[8]).toBeCloseTo(shard, -1);
    expect(workload.bottleneckRank).toBe(0);
  });

  it('equal sharding splits each expert over its replicas and spreads only the non-expert layers on top (Case3)', () => {
    const j = job(16, 8, 16);
    const equal = workloadOf(j, 'equal');
    const c = j.composition;
    const shard = (c.nonExpertOptimizerBytes + c.expertOptimizerBytes) / 16;
    // Ranks r and r + 8 hold the same experts: each saves half of them.
    const halfExperts = c.expertWeightBytes / 8 / 2;
    const extras = Array.from(equal.rankBytes, (bytes) => bytes - shard - halfExperts);
    for (const extra of extras) expect(extra).toBeGreaterThanOrEqual(-1);
    expect(extras.reduce((sum, extra) => sum + extra, 0)).toBeCloseTo(c.nonExpertWeightBytes, -1);
    // The non-expert layers land on many ranks, not on rank 0 alone.
    expect(extras.filter((extra) => extra > 1).length).toBeGreaterThan(8);
  });

  it('Eq. 8 as printed equals the fully sharded ideal when D_dp = D_ep (Case1)', () => {
    const j = job(8, 8, 16);
    const ideal = idealRankBytesEq8(j.composition, 8, 8);
    expect(ideal).toBeCloseTo(j.composition.fullBytes / 8, -1);
    // With D_dp = 2·D_ep (Case3) the printed optimizer term is twice the ZeRO shard.
    const case3 = job(16, 8, 16);
    const printed = idealRankBytesEq8(case3.composition, 16, 8);
    const c = case3.composition;
    expect(printed - (c.nonExpertWeightBytes / 16 + c.expertWeightBytes / 8)).toBeCloseTo(
      (2 * (c.nonExpertOptimizerBytes + c.expertOptimizerBytes)) / 16,
      -1,
    );
  });
});

describe('PEC imbalance (MoC §4.3)', () => {
  it('warns for the Fig. 4 example (K·N_moe = 4 over 3 EP ranks) and not for an even split', () => {
    expect(pecImbalanceNote(1, 4, 3)).toMatch(/do not split evenly over EP = 3/);
    expect(pecImbalanceNote(4, 12, 8)).toBeUndefined();
    // 12 MoE layers × K=1 over EP 8: 12 mod 8 ≠ 0.
    expect(pecImbalanceNote(1, 12, 8)).toMatch(/§4\.3/);
  });

  it('says nothing of replicas: the model splits each saved expert equally over them (Case 3, K = 2)', () => {
    // 12 MoE layers × K = 2 = 24 saved experts, 3 per EP rank of 8, each split over its 2 replicas (DP16): the
    // paper's second condition (3 mod 2 ≠ 0) holds, but the model gives every replica the same expert bytes.
    const case3 = GPT_350M_16E_CASES[2];
    const { scenario } = decodeFragment(mocCaseFragment(case3, [['checkpoint.expertsPerCheckpoint', 2]]));
    const detail = checkpointCostBreakdown(scenario);
    expect(detail.k).toBe(2);
    expect(detail.imbalanceNote).toBeUndefined();
    // Ranks 0–3 take the non-expert modules (adaptive sharding); ranks 4–15 save only their experts' shards.
    const expertOnly = [...detail.snapshot.rankBytes].slice(4);
    expect(expertOnly).toHaveLength(12);
    for (const bytes of expertOnly) expect(bytes).toBe(expertOnly[0]);
    expect((expertOnly[0] ?? 0) / 1e6).toBeCloseTo(391.1, 1);
  });
});
