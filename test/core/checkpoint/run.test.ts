import { describe, expect, it } from 'vitest';
import { simulateRun } from '../../../src/core/checkpoint/run';
import { sequentialExpert, sequentialSelection } from '../../../src/core/checkpoint/selection';
import { loadAwareSelection } from '../../../src/core/checkpoint/runSelection';
import { createRandom } from '../../../src/core/random';
import { SIMPLE_COSTS, smallScenario, syntheticCosts } from './runSupport';

const simple = syntheticCosts(SIMPLE_COSTS);

function row(values: Int32Array, layer: number, experts: number): number[] {
  return Array.from(values.subarray(layer * experts, (layer + 1) * experts));
}

describe('simulateRun: worked examples', () => {
  it('single-level PEC, K = 1: one fault rolls back to t_c and loses each expert’s tokens since its own save', () => {
    // 2 MoE layers × 4 experts, uniform routing, I_ckpt = 10, 1 s iterations, restart 10 s; a fault at 55.5 s.
    // Sequential K = 1 (layer j saves (j + c) mod 4): at t_c = 50, layer 0's experts were last saved at
    // 50, 20, 30, 40 and layer 1's at 40, 50, 20, 30. Lost: Σ ¼·(50 − t_e) = 15 per layer.
    const run = simulateRun(smallScenario({ checkpoint: { viewIteration: 100 } }), simple, {
      faults: [{ seconds: 55.5, node: 0 }],
    });
    expect(run.faults).toBe(1);
    expect(run.lostIterations).toBe(5);
    expect(run.plt).toBeCloseTo(30 / (2 * 100), 12);
    expect(run.time.lostSeconds).toBeCloseTo(5.5, 12);
    expect(run.time.restartSeconds).toBe(10);
    expect(run.time.usefulSeconds).toBeCloseTo(100, 12);
    expect(run.time.totalSeconds).toBeCloseTo(115.5, 12);
    expect(run.checkpoints).toBe(10); // 10..50 before the fault, 60..100 after it
    // After the recovery every copy holds the state of iteration 50; the rotation resumes after checkpoint 50,
    // so at iteration 100 (before its own checkpoint) layer 0 was saved at 90, 60, 70, 80.
    expect(row(run.grid.lastSaved, 0, 4)).toEqual([90, 60, 70, 80]);
    expect(row(run.grid.staleness, 0, 4)).toEqual([10, 40, 30, 20]);
    expect(run.pltSeries.map((point) => point.iteration)).toEqual([0, 55, 100]);
    const kinds = run.events.filter((event) => event.kind !== 'checkpoint' && event.kind !== 'snapshot');
    expect(kinds.map((event) => event.kind)).toEqual(['fault', 'rollback', 'restart']);
    expect(kinds[1]).toMatchObject({ startIteration: 55, endIteration: 50 });
  });

  it('two-level: healthy nodes restore from the snapshot, the failed node from its last finished persist', () => {
    // 1 MoE layer × 4 experts on 2 nodes (experts 0–1 on node 0, 2–3 on node 1), K = 2, K_persist = 1. Sequential
    // selection deals positions to the two EP ranks in turn (position g → expert (g mod 2)·2 + ⌊g/2⌋): checkpoints
    // 10 {0,2} persist 0; 20 {1,3} persist 1; 30 {0,2} persist 2 (never persisted, older than 0's copy).
    const scenario = smallScenario({
      layers: 1,
      nodes: 2,
      checkpoint: { expertsPerCheckpoint: 2, expertsPersisted: 1, twoLevel: true },
    });
    const run = simulateRun(scenario, simple, { faults: [{ seconds: 35.5, node: 1 }] });
    // Node 1's experts 2 and 3 come from storage (persisted at 30 and never): 0 + 30; node 0's from the snapshot
    // (taken at 30 and 20): 0 + 10.
    expect(run.plt).toBeCloseTo((30 + 10) / 4 / 100, 12);
    expect(run.persistsCompleted).toBe(3 + 7);

    // A persist still writing at the fault does not count, and the run rolls back to the last finished one: with 5 s
    // persists, checkpoint 30's (of expert 2) ends at 35 s, after a fault at 32.5 s on node 0, so t_c = 20. Node 0's
    // experts come from storage (expert 0 persisted at 10, expert 1 at 20): 10 + 0; node 1's snapshots are at 20 or
    // newer: 0.
    const slow = syntheticCosts({ ...SIMPLE_COSTS, persistSeconds: 5 });
    const late = simulateRun(scenario, slow, { faults: [{ seconds: 32.5, node: 0 }] });
    expect(late.events.find((event) => event.kind === 'rollback')?.endIteration).toBe(20);
    expect(late.lostIterations).toBe(32 - 20);
    expect(late.plt).toBeCloseTo(10 / 4 / 100, 12);
    expect(late.persistsDropped).toBe(1);
    const persist30 = late.events.find((event) => event.kind === 'persist' && event.startIteration === 30);
    expect(persist30).toMatchObject({ discarded: true, durationSeconds: 2.5 });
  });

  it('a fault during a snapshot discards that checkpoint and rolls back to the one before', () => {
    // Snapshots take 3 s (async: 2 s stall), so checkpoint 50's snapshot ends at 50 + 4·2 + 3 = 61 s.
    const costs = syntheticCosts({ ...SIMPLE_COSTS, snapshotBase: 3 });
    const run = simulateRun(smallScenario({}), costs, { faults: [{ seconds: 60, node: 0 }] });
    expect(run.discardedCheckpoints).toBe(1);
    const rollback = run.events.find((event) => event.kind === 'rollback');
    expect(rollback?.endIteration).toBe(40);
    expect(run.events.find((event) => event.kind === 'snapshot' && event.discarded)).toMatchObject({
      startIteration: 50,
      durationSeconds: 2,
    });
  });

  it('a fault during a restart restarts again and loses no further iterations', () => {
    const run = simulateRun(smallScenario({}), simple, {
      faults: [
        { seconds: 55.5, node: 0 },
        { seconds: 60, node: 0 },
      ],
    });
    expect(run.faults).toBe(2);
    expect(run.lostIterations).toBe(5);
    expect(run.time.restartSeconds).toBeCloseTo(4.5 + 10, 12);
    const restarts = run.events.filter((event) => event.kind === 'restart');
    expect(restarts.map((event) => event.durationSeconds)).toEqual([4.5, 10]);
  });

  it('PEC off loses no tokens: every expert is restored at t_c (single-level, or two-level with finished persists)', () => {
    for (const twoLevel of [false, true]) {
      const run = simulateRun(smallScenario({ nodes: 2, checkpoint: { pec: false, twoLevel } }), simple, {
        faults: [
          { seconds: 25, node: 0 },
          { seconds: 77.5, node: 1 },
        ],
      });
      expect(run.faults).toBe(2);
      expect(run.lostIterations).toBeGreaterThan(0);
      expect(run.plt).toBe(0);
    }
  });

  it('two-level rolls back to the last finished persist: a newer snapshot in CPU memory is lost with the failed node', () => {
    // PEC off, persists of 15 s from the snapshot at each checkpoint (every 10 s): checkpoint 10's persist runs 10–25 s,
    // 20's waits for it and runs 25–40 s. A fault at 39 s loses it and snapshots 20 and 30, and rolls back to 10.
    const slowPersist = syntheticCosts({ ...SIMPLE_COSTS, persistSeconds: 15 });
    const scenario = smallScenario({ nodes: 2, checkpoint: { pec: false, twoLevel: true } });
    const run = simulateRun(scenario, slowPersist, { faults: [{ seconds: 39, node: 1 }] });
    expect(run.events.find((event) => event.kind === 'rollback')?.endIteration).toBe(10);
    expect(run.lostIterations).toBe(39 - 10);
    expect(run.plt).toBe(0);
    // Slower storage means a staler rollback point, and more iterations to compute again: none persisted by 39 s.
    const slower = simulateRun(scenario, syntheticCosts({ ...SIMPLE_COSTS, persistSeconds: 35 }), {
      faults: [{ seconds: 39, node: 1 }],
    });
    expect(slower.lostIterations).toBe(39);
    expect(slower.plt).toBe(0);
  });

  it('dynamic K doubles K after a recovery once the accumulated PLT passes the threshold, up to N', () => {
    const scenario = smallScenario({
      experts: 8,
      checkpoint: { dynamicK: true, pltThreshold: 0, totalIterations: 1000 },
    });
    const run = simulateRun(scenario, simple, {
      faults: [115.5, 231, 352, 477, 590].map((seconds) => ({ seconds, node: 0 })),
    });
    expect(run.kSeries.map((point) => point.k)).toEqual([1, 2, 4, 8]);
    expect(run.finalK).toBe(8);
    const off = simulateRun(
      { ...scenario, checkpoint: { ...scenario.checkpoint, dynamicK: false } },
      simple,
      {
        faults: [{ seconds: 115.5, node: 0 }],
      },
    );
    expect(off.plt).toBeGreaterThan(0);
    expect(off.kSeries).toHaveLength(1);
  });

  it('dynamic K judges the current K by its own losses: those under an earlier K do not count (MoC §5.3)', () => {
    const scenario = smallScenario({
      experts: 8,
      checkpoint: { dynamicK: true, pltThreshold: 0.034, totalIterations: 1000 },
    });
    const run = simulateRun(scenario, simple, {
      faults: [115.5, 231, 352].map((seconds) => ({ seconds, node: 0 })),
    });
    // The first fault at K = 1 loses 3.5% (> 3.4%): K doubles. The next two at K = 2 lose 3.0% between them, so K
    // stays, though the run's whole PLT, 6.5%, is far above the threshold (summing it would have doubled K again).
    const losses = run.pltSeries.slice(1).map((point, index) => point.plt - run.pltSeries[index]!.plt);
    expect(losses.map((loss) => Number(loss.toFixed(4)))).toEqual([0.035, 0.015, 0.015, 0]); // then the run’s end
    expect(run.kSeries.map((point) => point.k)).toEqual([1, 2]);
    expect(run.plt).toBeCloseTo(0.065, 10);
  });

  it('with two-level saving, dynamic K doubles K_persist too, so the failed node’s losses come down', () => {
    const scenario = smallScenario({
      experts: 8,
      checkpoint: {
        twoLevel: true,
        expertsPerCheckpoint: 2,
        expertsPersisted: 1,
        dynamicK: true,
        pltThreshold: 0,
        totalIterations: 1000,
      },
    });
    const faults = [115.5, 231, 352, 477, 590, 702].map((seconds) => ({ seconds, node: 0 }));
    const run = simulateRun(scenario, simple, { faults });
    expect(run.kSeries.map(({ k, kPersist }) => [k, kPersist])).toEqual([
      [2, 1],
      [4, 2],
      [8, 4],
      [8, 8],
    ]);
    expect(run.finalKPersist).toBe(8);
    const fixed = simulateRun(
      { ...scenario, checkpoint: { ...scenario.checkpoint, dynamicK: false } },
      simple,
      {
        faults,
      },
    );
    expect(run.plt).toBeLessThan(fixed.plt);
  });

  it('the seeded fault process: faults arrive with mean MTBF, the same for the same seed', () => {
    const scenario = smallScenario({
      checkpoint: { mtbfHours: 0.05, totalIterations: 20000, restartMinutes: 0 },
    });
    const costs = syntheticCosts({ ...SIMPLE_COSTS, restartSeconds: 0 });
    const run = simulateRun(scenario, costs);
    // ≈ 20,000 s of work at one fault per 180 s: ≈ 111 faults (±5σ ≈ ±53).
    expect(run.faults).toBeGreaterThan(58);
    expect(run.faults).toBeLessThan(165);
    expect(simulateRun(scenario, costs)).toEqual(run);
    const other = simulateRun({ ...scenario, workload: { ...scenario.workload, seed: 2 } }, costs);
    expect(other.events).not.toEqual(run.events);
  });

  it('stops at the fault cap when failures outpace progress', () => {
    const costs = syntheticCosts({ ...SIMPLE_COSTS, iterationSeconds: 3600 });
    const run = simulateRun(smallScenario({ checkpoint: { mtbfHours: 0.05, totalIterations: 1000 } }), costs);
    expect(run.completed).toBe(false);
    expect(run.iterationsCompleted).toBeLessThan(1000);
    expect(run.notes.at(-1)).toMatch(/stopped/);
  });
});

describe('the run’s private selection matches the static model’s selection.ts', () => {
  it('sequential: a checkpoint saves the experts selection.ts picks', () => {
    // 3 MoE layers × 8 experts on 2 nodes (EP = 2), K = 3: checkpoint 10 is the first, with pointer 0.
    const scenario = smallScenario({
      layers: 3,
      experts: 8,
      nodes: 2,
      checkpoint: { expertsPerCheckpoint: 3, twoLevel: false, viewIteration: 15 },
    });
    const run = simulateRun(scenario, simple, { faults: [] });
    const expected = new Int32Array(3 * 3);
    sequentialSelection(3, 8, 3, 0, expected, 2);
    for (let layer = 0; layer < 3; layer += 1) {
      const saved = row(run.grid.lastSaved, layer, 8).flatMap((iteration, expert) =>
        iteration === 10 ? [expert] : [],
      );
      expect(saved).toEqual(Array.from(expected.subarray(layer * 3, layer * 3 + 3)).sort((a, b) => a - b));
    }
  });

  it('load-aware counts the previous checkpoint as saved: under uniform routing it rotates like sequential', () => {
    // 1 MoE layer × 4 experts, K = 2, uniform routing: checkpoint 10 saves {0, 1}, so 20 must save {2, 3}. A
    // selection that read the copies before the previous snapshot was marked done saved {0, 1} twice in a row.
    const loadAware = smallScenario({
      layers: 1,
      checkpoint: { expertsPerCheckpoint: 2, selection: 'load-aware', viewIteration: 30 },
    });
    const run = simulateRun(loadAware, simple, { faults: [] });
    expect(row(run.grid.lastSaved, 0, 4)).toEqual([10, 10, 20, 20]); // at 30, before its own checkpoint
    // The same faults then lose the same tokens as sequential selection, which rotates the same way here.
    const faults = [
      { seconds: 25.5, node: 0 },
      { seconds: 67.5, node: 0 },
    ];
    const sequential = {
      ...loadAware,
      checkpoint: { ...loadAware.checkpoint, selection: 'sequential' as const },
    };
    const aware = simulateRun(loadAware, simple, { faults });
    expect(aware.plt).toBeGreaterThan(0);
    expect(aware.plt).toBeCloseTo(simulateRun(sequential, simple, { faults }).plt, 12);
  });

  it('load-aware: the most unsaved tokens, ties in sequential order, on the heap and quickselect paths', () => {
    const random = createRandom(11);
    for (let trial = 0; trial < 300; trial += 1) {
      const ranks = [1, 2, 4][random.int(3)]!;
      const experts = ranks * (1 + random.int(Math.floor(100 / ranks)));
      const layers = 1 + random.int(4);
      const k = 1 + random.int(Math.max(1, experts - 1));
      const pointer = random.int(experts);
      const iteration = 1000;
      const shares = Float64Array.from({ length: layers * experts }, () => (1 + random.int(4)) / 8);
      const saved = Int32Array.from({ length: layers * experts }, () => 100 * random.int(10));
      const mine = new Int32Array(layers * k);
      loadAwareSelection({
        shares,
        saved,
        layers,
        experts,
        k,
        iteration,
        pointer,
        expertParallel: ranks,
        heap: new Float64Array(experts),
        scratch: new Float64Array(experts),
        out: mine,
      });
      for (let layer = 0; layer < layers; layer += 1) {
        // Reference: sort this layer's sequential order by unsaved tokens, stable, and keep the first K.
        const order = Array.from({ length: experts }, (_, p) =>
          sequentialExpert((pointer + layer * k + p) % experts, experts, ranks),
        );
        const unsaved = (expert: number) =>
          shares[layer * experts + expert]! * (iteration - saved[layer * experts + expert]!);
        const expected = order
          .map((expert, place) => ({ expert, place }))
          .sort((a, b) => unsaved(b.expert) - unsaved(a.expert) || a.place - b.place)
          .slice(0, k)
          .map((entry) => entry.expert)
          .sort((a, b) => a - b);
        const sorted = Array.from(mine.subarray(layer * k, layer * k + k)).sort((a, b) => a - b);
        expect(sorted).toEqual(expected);
      }
    }
  });

  it('load-aware under uniform routing saves exactly what sequential does, interleaved over layers and ranks', () => {
    const shares = new Float64Array(3 * 8).fill(1 / 8);
    const saved = new Int32Array(3 * 8);
    const loadAware = new Int32Array(3 * 4);
    loadAwareSelection({
      shares,
      saved,
      layers: 3,
      experts: 8,
      k: 4,
      iteration: 100,
      pointer: 0,
      expertParallel: 8,
      heap: new Float64Array(8),
      scratch: new Float64Array(8),
      out: loadAware,
    });
    const sequential = new Int32Array(3 * 4);
    sequentialSelection(3, 8, 4, 0, sequential, 8);
    for (let layer = 0; layer < 3; layer += 1) {
      const set = (list: Int32Array) =>
        Array.from(list.subarray(layer * 4, layer * 4 + 4)).sort((a, b) => a - b);
      expect(set(loadAware)).toEqual(set(sequential));
    }
    // Layer 0 saves experts 0–3 and layer 1 experts 4–7: not the same four experts, on the same ranks, everywhere.
    expect(Array.from(loadAware.subarray(4, 8)).sort((a, b) => a - b)).toEqual([4, 5, 6, 7]);
  });
});
