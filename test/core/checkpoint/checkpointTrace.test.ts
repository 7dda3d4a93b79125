import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkpointTrace, checkpointTraceJson } from '../../../src/core/checkpoint/checkpointTrace';
import { checkpointCosts } from '../../../src/core/checkpoint/costs';
import { simulateRun } from '../../../src/core/checkpoint/run';
import type { CheckpointRun, ScheduledFault } from '../../../src/core/checkpoint/runTypes';
import type { CostsForK } from '../../../src/core/checkpoint/types';
import { decodeFragment, encodeFragment } from '../../../src/core/scenario/shareLink';
import type { Scenario } from '../../../src/core/scenario/types';
import type { TraceEventJson, TraceFile } from '../../../src/core/trace/traceEvent';
import { SIMPLE_COSTS, smallScenario, syntheticCosts, type SyntheticCosts } from './runSupport';

type Slice = Extract<TraceEventJson, { ph: 'X' }>;
type Instant = Extract<TraceEventJson, { ph: 'i' }>;

const slices = (trace: TraceFile): Slice[] =>
  trace.traceEvents.filter((event): event is Slice => event.ph === 'X');
const instants = (trace: TraceFile): Instant[] =>
  trace.traceEvents.filter((event): event is Instant => event.ph === 'i');
const named = (trace: TraceFile, name: string): Slice[] =>
  slices(trace).filter((event) => event.name === name);

describe('checkpointTrace: a run worked by hand', () => {
  // 10-iteration interval, 30 iterations of 1 s, a blocking 2 s save to storage, a 10 s restart; a fault at 17.5 s,
  // 5.5 s into the second interval (training resumed at 12 s after the first checkpoint's stall).
  const scenario = smallScenario({ checkpoint: { totalIterations: 30 } });
  const costsFor = syntheticCosts({ ...SIMPLE_COSTS, snapshotBase: 2, asynchronous: false });
  const run = simulateRun(scenario, costsFor, { faults: [{ seconds: 17.5, node: 0 }] });
  const trace = checkpointTrace({ scenario, run, link: 'v=1&lab=checkpointing', costsFor });

  it('names the process and one thread per lane (no persist lane without two-level saving)', () => {
    const threads = trace.traceEvents
      .filter((event) => event.ph === 'M' && event.name === 'thread_name')
      .map((event) => (event.ph === 'M' && 'name' in event.args ? [event.tid, event.args.name] : []));
    expect(threads).toEqual([
      [1, 'Training (iterations, checkpoint stalls)'],
      [2, 'Save (GPU→storage)'],
      [4, 'Faults and restarts'],
      [5, 'Rolled-back work'],
    ]);
    expect(trace.traceEvents[0]).toMatchObject({
      ph: 'M',
      name: 'process_name',
      args: { name: 'MoE Lab: checkpointing run' },
    });
    expect(trace.displayTimeUnit).toBe('ms');
    expect(trace.metadata).toMatchObject({ source: 'MoE Lab', link: '#v=1&lab=checkpointing' });
  });

  it('merges the iterations of each interval into one slice, with the range in its args', () => {
    expect(
      named(trace, 'Training').map((event) => [
        event.ts,
        event.dur,
        event.args.firstIteration,
        event.args.lastIteration,
      ]),
    ).toEqual([
      [0, 10e6, 1, 10],
      [12e6, 5.5e6, 11, 15],
      // After the restart (17.5 s + 10 s), iterations 11 to 20 again.
      [27.5e6, 10e6, 11, 20],
      [39.5e6, 10e6, 21, 30],
    ]);
    expect(named(trace, 'Training')[1]?.args.endsInFault).toBe(true);
    expect(named(trace, 'Not itemised')).toEqual([]);
  });

  it('keeps each checkpoint stall and save, the fault, its rollback and its restart individual', () => {
    expect(named(trace, 'Checkpoint').map((event) => [event.ts, event.dur, event.args.iteration])).toEqual([
      [10e6, 2e6, 10],
      [37.5e6, 2e6, 20],
      [49.5e6, 2e6, 30],
    ]);
    expect(named(trace, 'Save to storage')).toHaveLength(3);
    expect(instants(trace).filter((event) => event.cat === 'fault')).toEqual([
      {
        ph: 'i',
        name: 'Fault on node 0',
        cat: 'fault',
        pid: 1,
        tid: 4,
        ts: 17.5e6,
        s: 'g',
        args: { node: 0, lastCompletedIteration: 15 },
      },
    ]);
    // The work thrown away: from when training left checkpoint 10 (after its stall) to the fault.
    expect(named(trace, 'Rolled back to iteration 10')).toEqual([
      expect.objectContaining({
        tid: 5,
        ts: 12e6,
        dur: 5.5e6,
        args: { fromIteration: 15, toIteration: 10, iterationsRolledBack: 5, node: 0 },
      }),
    ]);
    expect(named(trace, 'Restart')).toEqual([
      expect.objectContaining({
        ts: 17.5e6,
        dur: 10e6,
        args: { node: 0, restartSeconds: 10, resumesFromIteration: 10 },
      }),
    ]);
  });

  it('says how it was built and what the run left out', () => {
    expect(trace.metadata.coalescing).toMatch(/one slice per stretch between checkpoints and faults/);
    expect(trace.metadata.run).toMatchObject({ faults: 1, faultsInTrace: 1, omittedEvents: 0 });
  });
});

describe('checkpointTrace: dynamic K and two-level saving', () => {
  it('marks each doubling as a global instant, charts K and PLT as counters, and adds the persist lane', () => {
    // Every fault loses tokens above a threshold of 0: each recovery doubles K (1 → 2 → 4) and K_persist.
    const scenario = smallScenario({
      experts: 4,
      nodes: 2,
      checkpoint: { twoLevel: true, dynamicK: true, pltThreshold: 0, totalIterations: 200 },
    });
    const costsFor = syntheticCosts(SIMPLE_COSTS);
    const run = simulateRun(scenario, costsFor, {
      faults: [
        { seconds: 45.5, node: 0 },
        { seconds: 120.5, node: 1 },
      ],
    });
    const trace = checkpointTrace({ scenario, run, link: 'v=1', costsFor });
    const doublings = instants(trace).filter((event) => event.cat === 'dynamicK');
    expect(doublings.map((event) => [event.name, event.s, event.args.K])).toEqual([
      ['Dynamic K: K 1→2 and K_persist 1→2', 'g', 2],
      ['Dynamic K: K 2→4 and K_persist 2→4', 'g', 4],
    ]);
    const counters = trace.traceEvents.filter((event) => event.ph === 'C');
    expect(counters.filter((event) => event.name === 'K').map((event) => event.args)).toEqual([
      { K: 1, K_persist: 1 },
      { K: 2, K_persist: 2 },
      { K: 4, K_persist: 4 },
    ]);
    expect(counters.filter((event) => event.name === 'PLT')).toHaveLength(run.pltSeries.length);
    expect(slices(trace).some((event) => event.tid === 3 && event.name === 'Persist')).toBe(true);
    // Training after the second recovery runs at K = 4.
    expect(named(trace, 'Training').at(-1)?.args.K).toBe(4);
  });
});

const costsArbitrary: fc.Arbitrary<SyntheticCosts> = fc.record({
  iterationSeconds: fc.double({ min: 0.1, max: 10, noNaN: true }),
  snapshotBase: fc.double({ min: 0, max: 5, noNaN: true }),
  snapshotPerExpert: fc.double({ min: 0, max: 2, noNaN: true }),
  persistSeconds: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 2000, noNaN: true })),
  restartSeconds: fc.double({ min: 0, max: 600, noNaN: true }),
  asynchronous: fc.boolean(),
});

interface Case {
  scenario: Scenario;
  costsFor: CostsForK;
  faults?: ScheduledFault[];
}

/**
 * Small models with any checkpoint settings; faults from the seeded process or scheduled, sometimes hundreds of them
 * so the run's timeline drops events and the trace has stretches it cannot itemise.
 */
const caseArbitrary: fc.Arbitrary<Case> = fc
  .record({
    experts: fc.constantFrom(2, 4, 8),
    nodes: fc.constantFrom(1, 2, 4),
    k: fc.integer({ min: 1, max: 8 }),
    kPersist: fc.integer({ min: 1, max: 8 }),
    pec: fc.boolean(),
    twoLevel: fc.boolean(),
    loadAware: fc.boolean(),
    interval: fc.integer({ min: 1, max: 50 }),
    total: fc.integer({ min: 1, max: 4000 }),
    mtbfHours: fc.double({ min: 0.2, max: 20, noNaN: true }),
    dynamicK: fc.boolean(),
    viewFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    seed: fc.integer({ min: 0, max: 1000 }),
    costs: costsArbitrary,
    faults: fc.option(
      fc.array(fc.record({ seconds: fc.double({ min: 0, max: 20_000, noNaN: true }), node: fc.nat(3) }), {
        maxLength: 700,
      }),
      { nil: undefined },
    ),
  })
  .map((draw) => {
    const k = Math.min(draw.k, draw.experts);
    return {
      scenario: smallScenario({
        experts: draw.experts,
        nodes: draw.nodes,
        seed: draw.seed,
        checkpoint: {
          pec: draw.pec,
          expertsPerCheckpoint: k,
          expertsPersisted: Math.min(draw.kPersist, k),
          twoLevel: draw.twoLevel,
          selection: draw.loadAware ? 'load-aware' : 'sequential',
          intervalIterations: draw.interval,
          totalIterations: draw.total,
          mtbfHours: draw.mtbfHours,
          dynamicK: draw.dynamicK,
          pltThreshold: 0.01,
          viewIteration: Math.floor(draw.viewFraction * draw.total),
        },
      }),
      costsFor: syntheticCosts(draw.costs),
      ...(draw.faults ? { faults: draw.faults } : {}),
    };
  });

function simulate(testCase: Case): CheckpointRun {
  return simulateRun(
    testCase.scenario,
    testCase.costsFor,
    testCase.faults ? { faults: testCase.faults } : {},
  );
}

function traceOf(testCase: Case, run: CheckpointRun): TraceFile {
  return checkpointTrace({ scenario: testCase.scenario, run, link: 'v=1', costsFor: testCase.costsFor });
}

const RUNS = 120;

describe('checkpointTrace: properties over random runs', () => {
  it('every slice has a finite ts ≥ 0 and dur ≥ 0 in whole nanoseconds, every event a finite ts, sorted by ts', () => {
    fc.assert(
      fc.property(caseArbitrary, (testCase) => {
        const trace = traceOf(testCase, simulate(testCase));
        let previous = 0;
        for (const event of trace.traceEvents) {
          if (!Number.isFinite(event.ts) || event.ts < previous)
            throw new Error(`bad ts ${JSON.stringify(event)}`);
          previous = event.ts;
          if (event.ph === 'X' && !(Number.isFinite(event.dur) && event.dur >= 0))
            throw new Error(`bad dur ${JSON.stringify(event)}`);
          // Whole nanoseconds: at most three decimals of a microsecond, never a float's long tail.
          for (const time of event.ph === 'X' ? [event.ts, event.dur] : [event.ts])
            if (!/^\d+(\.\d{1,3})?$/.test(String(time)))
              throw new Error(`long time ${JSON.stringify(event)}`);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('every fault the run kept appears exactly once, at its time and node, with its restart and rollback', () => {
    fc.assert(
      fc.property(caseArbitrary, (testCase) => {
        const run = simulate(testCase);
        const trace = traceOf(testCase, run);
        const faults = run.events.filter((event) => event.kind === 'fault');
        const marked = instants(trace).filter((event) => event.cat === 'fault');
        expect(marked.map((event) => [event.ts, event.args.node])).toEqual(
          faults.map((event) => [Math.round(event.startSeconds * 1e9) / 1000, event.node]),
        );
        // Nothing dropped: every fault of the run.
        if (run.omittedEvents === 0) expect(marked).toHaveLength(run.faults);
        expect((trace.metadata.run as { faultsInTrace: number }).faultsInTrace).toBe(faults.length);
        expect(trace.traceEvents.filter((event) => event.name === 'Restart')).toHaveLength(
          run.events.filter((event) => event.kind === 'restart').length,
        );
        expect(trace.traceEvents.filter((event) => event.name.startsWith('Rolled back'))).toHaveLength(
          run.events.filter((event) => event.kind === 'rollback').length,
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('when the run kept every event, its training slices add up to every iteration executed, none unitemised', () => {
    fc.assert(
      fc.property(caseArbitrary, (testCase) => {
        const run = simulate(testCase);
        if (run.omittedEvents > 0) return;
        const trace = traceOf(testCase, run);
        expect(named(trace, 'Not itemised')).toEqual([]);
        const iterations = named(trace, 'Training').reduce(
          (sum, event) => sum + Number(event.args.iterations),
          0,
        );
        // Iterations that survived, plus those rolled back and done again.
        expect(iterations).toBe(run.iterationsCompleted + run.lostIterations);
      }),
      { numRuns: RUNS },
    );
  });

  it('slices on one lane never overlap part-way, so they draw as a clean track', () => {
    fc.assert(
      fc.property(caseArbitrary, (testCase) => {
        const trace = traceOf(testCase, simulate(testCase));
        const endOf = new Map<number, number>();
        for (const event of slices(trace)) {
          const end = endOf.get(event.tid) ?? 0;
          // One microsecond of slack: times are rounded to the nanosecond, and a stall ends where training starts.
          if (event.ts < end - 1e-3 && event.ts + event.dur > end + 1e-3)
            throw new Error(`overlap on lane ${event.tid}: ${JSON.stringify(event)} before ${end}`);
          endOf.set(event.tid, Math.max(end, event.ts + event.dur));
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('round-trips through JSON, and the same run gives the same bytes', () => {
    fc.assert(
      fc.property(caseArbitrary, (testCase) => {
        const run = simulate(testCase);
        const input = { scenario: testCase.scenario, run, link: 'v=1', costsFor: testCase.costsFor };
        const text = checkpointTraceJson(input);
        expect(JSON.parse(text)).toEqual(checkpointTrace(input));
        expect(checkpointTraceJson({ ...input, run: simulate(testCase) })).toBe(text);
      }),
      { numRuns: 40 },
    );
  });
});

describe('checkpointTrace: real scenarios', () => {
  it('gives byte-identical JSON for the same share link', () => {
    const fragment =
      'v=1&model=gpt-350m-16e&gpu=a800&checkpoint.mtbfHours=2&checkpoint.totalIterations=10000';
    const once = () => {
      const { scenario } = decodeFragment(fragment);
      const run = simulateRun(scenario, checkpointCosts(scenario));
      return checkpointTraceJson({ scenario, run, link: encodeFragment(scenario, { lab: 'checkpointing' }) });
    };
    const text = once();
    expect(once()).toBe(text);
    const parsed = JSON.parse(text) as TraceFile;
    expect(parsed.metadata.link).toBe(`#${fragment}&lab=checkpointing`);
    // Real costs give each save its bytes.
    const save = parsed.traceEvents.find((event) => event.name === 'Snapshot');
    expect(save?.ph === 'X' && Number(save.args.bytes)).toBeGreaterThan(0);
  });

  it('keeps a 100,000-iteration DeepSeek-V3 run with a fault an hour and a checkpoint every iteration to a few MB', () => {
    const { scenario } = decodeFragment(
      'v=1&model=deepseek-v3&gpu=h800&ep=64&dp=64&checkpoint.totalIterations=100000&checkpoint.intervalIterations=1&checkpoint.mtbfHours=1',
    );
    const run = simulateRun(scenario, checkpointCosts(scenario));
    expect(run.checkpoints).toBeGreaterThan(100_000);
    const text = checkpointTraceJson({ scenario, run, link: encodeFragment(scenario) });
    expect(text.length).toBeLessThan(5e6);
    const trace = JSON.parse(text) as TraceFile;
    // The stretches whose checkpoints the run did not keep are merged, and say so.
    const merged = named(trace, 'Not itemised');
    expect(merged.length).toBeGreaterThan(0);
    expect(merged[0]?.args.note).toMatch(/kept no events/);
    expect(trace.metadata.run).toMatchObject({ omittedEvents: run.omittedEvents, faults: run.faults });
  });
});
