import type { Scenario } from '../scenario/types';
import {
  isWritable,
  microsecondsOf,
  orderedTraceEvents,
  traceFileJson,
  type TraceArgs,
  type TraceEventDraft,
  type TraceFile,
} from '../trace/traceEvent';
import { checkpointCosts } from './costs';
import { describeKDoubling, kDoublings } from './runKChanges';
import type { CheckpointRun, RunEvent } from './runTypes';
import {
  kInForceAt,
  nearlyEqual,
  trainingStretch,
  type TrainingLaneContext,
  type TrainingResume,
  type TrainingStretch,
} from './traceTraining';
import { PID, TID, instant, metadataEvents, slice } from './traceLanes';
import type { CostsForK } from './types';

/** The name the browser gives the downloaded trace. */
export const CHECKPOINT_TRACE_FILE_NAME = 'moe-lab-checkpoint-run.trace.json';

/** What the trace says about how it was built, in its metadata. */
export const CHECKPOINT_TRACE_COALESCING =
  'Training iterations are merged: one slice per stretch between checkpoints and faults (at most one checkpoint ' +
  'interval), with the iterations it covers in its args. Checkpoint stalls, snapshots, persists, faults, restarts ' +
  'and rolled-back work are individual. The trace holds the events the run kept for its timeline (see ' +
  'run.eventsNote); a stretch whose events were not kept is one "Not itemised" slice.';

export interface CheckpointTraceInput {
  scenario: Scenario;
  /** The run simulated for `scenario` (simulateRun with the same costs). */
  run: CheckpointRun;
  /** The share-link fragment (what follows '#') that reopens this scenario: the trace says where it came from. */
  link: string;
  /** The costs the run was simulated with; by default the scenario's own, as the lab and the command line use. */
  costsFor?: CostsForK;
}

function trainingSlice(stretch: TrainingStretch, endsInFault: boolean): TraceEventDraft {
  const { fromSeconds, toSeconds, fromIteration, toIteration } = stretch;
  if (!stretch.itemised)
    return slice(TID.training, 'Not itemised', 'coalesced', fromSeconds, toSeconds, {
      fromIteration,
      toIteration,
      note: 'The run kept no events for this stretch: it may hold checkpoints, stalls, faults and restarts.',
    });
  return slice(TID.training, 'Training', 'training', fromSeconds, toSeconds, {
    firstIteration: fromIteration + 1,
    lastIteration: toIteration,
    iterations: toIteration - fromIteration,
    K: stretch.k,
    ...(endsInFault ? { endsInFault: true } : {}),
  });
}

/**
 * The Checkpointing lab's run as a Chrome trace (Trace Event Format, JSON Object Format), for Perfetto or
 * chrome://tracing. One process, five threads as the lab's timeline lanes: training (merged iterations and
 * checkpoint stalls), snapshot (GPU→CPU, or the direct save to storage without two-level saving), persist
 * (CPU→storage, two-level only), faults and restarts, and rolled-back work (from when training left the
 * checkpoint it rolls back to until the fault). Faults and dynamic-K doublings are global instants; PLT and K are
 * counters. `ts` and `dur` are microseconds of simulated wall-clock time from the start of the run.
 *
 * Size: a run may have 10 million iterations, so iterations are never events. Training is merged into one slice
 * per stretch between consecutive checkpoints and faults, and the trace holds the events the run itself kept for
 * its timeline (at most 4,000: checkpoints within 400 intervals of the iteration shown, the first 500 faults; see
 * runEvents.ts). Stretches the kept events do not account for become one "Not itemised" slice each, with the
 * iterations at either end. A 100,000-iteration run gives a file of a few megabytes at most.
 *
 * Deterministic: the same scenario, run and link give the same object, and traceFileJson the same bytes.
 */
export function checkpointTrace(input: CheckpointTraceInput): TraceFile {
  const { scenario, run, link } = input;
  const costsFor = input.costsFor ?? checkpointCosts(scenario);
  const context: TrainingLaneContext = {
    run,
    intervalIterations: scenario.checkpoint.intervalIterations,
    costsFor,
  };
  const twoLevel = scenario.checkpoint.twoLevel;
  const drafts: TraceEventDraft[] = [];
  const faultSeconds = run.events
    .filter((event) => event.kind === 'fault')
    .map((event) => event.startSeconds);
  /** The first kept fault at or after `seconds` (a stall or restart it cuts short). */
  const faultFrom = (seconds: number): number | undefined =>
    faultSeconds.find((at) => at >= seconds || nearlyEqual(at, seconds));

  let resume: TrainingResume = { seconds: 0, iteration: 0 };
  /** Where training resumed since the last recovery: a rollback's lost work starts at one of them. */
  let resumes: TrainingResume[] = [resume];
  let restartEndSeconds = Number.NEGATIVE_INFINITY;
  let faultsInTrace = 0;

  const train = (toSeconds: number, toIteration: number, endsInFault: boolean) => {
    const stretch = trainingStretch(context, resume, toSeconds, toIteration, endsInFault);
    if (stretch) drafts.push(trainingSlice(stretch, endsInFault));
  };

  const onEvent = (event: RunEvent) => {
    const start = event.startSeconds;
    const end = start + event.durationSeconds;
    const k = event.k ?? 0;
    const discarded = event.discarded === true;
    switch (event.kind) {
      case 'checkpoint': {
        train(start, event.startIteration, false);
        const fault = faultFrom(start);
        const cut = fault !== undefined && fault < end && !nearlyEqual(fault, end);
        drafts.push(
          slice(TID.training, 'Checkpoint', 'checkpoint', start, cut ? fault : end, {
            iteration: event.startIteration,
            K: k,
            stallSeconds: event.durationSeconds,
            ...(cut ? { cutShortByFault: true } : {}),
          }),
        );
        resume = { seconds: end, iteration: event.startIteration };
        resumes.push(resume);
        return;
      }
      case 'snapshot': {
        const { kPersist } = kInForceAt(run, start);
        const costs = costsFor(k, kPersist);
        const name = twoLevel ? 'Snapshot' : 'Save to storage';
        drafts.push(
          slice(TID.snapshot, discarded ? `${name} (discarded)` : name, 'save', start, end, {
            checkpointIteration: event.startIteration,
            K: k,
            bytes: costs.checkpointBytes,
            bottleneckRankBytes: costs.bottleneckRankBytes,
            ...(discarded ? { discarded: true } : {}),
          }),
        );
        return;
      }
      case 'persist':
        drafts.push(
          slice(TID.persist, discarded ? 'Persist (dropped)' : 'Persist', 'save', start, end, {
            checkpointIteration: event.startIteration,
            K_persist: k,
            ...(discarded ? { discarded: true } : {}),
          }),
        );
        return;
      case 'fault': {
        const duringRestart = start < restartEndSeconds && !nearlyEqual(start, restartEndSeconds);
        if (!duringRestart) train(start, event.startIteration, true);
        faultsInTrace += 1;
        drafts.push(
          instant(TID.faults, `Fault on node ${event.node ?? 0}`, 'fault', start, 'g', {
            node: event.node ?? 0,
            lastCompletedIteration: event.startIteration,
            ...(duringRestart ? { duringRestart: true } : {}),
          }),
        );
        return;
      }
      case 'rollback': {
        const args: TraceArgs = {
          fromIteration: event.startIteration,
          toIteration: event.endIteration,
          iterationsRolledBack: event.startIteration - event.endIteration,
          node: event.node ?? 0,
        };
        const left = resumes.findLast((point) => point.iteration === event.endIteration);
        const name = `Rolled back to iteration ${event.endIteration}`;
        if (left && start > left.seconds && !nearlyEqual(start, left.seconds))
          drafts.push(slice(TID.rolledBack, name, 'rollback', left.seconds, start, args));
        else {
          // Nothing trained since (a fault during a restart), or the run kept no event for when it started.
          if (!left) args.note = 'The run kept no event for when training left this iteration.';
          drafts.push(instant(TID.rolledBack, name, 'rollback', start, 't', args));
        }
        return;
      }
      case 'restart': {
        const fault = faultFrom(start + event.durationSeconds);
        drafts.push(
          slice(TID.faults, 'Restart', 'restart', start, end, {
            node: event.node ?? 0,
            restartSeconds: event.durationSeconds,
            resumesFromIteration: event.startIteration,
            ...(fault !== undefined && nearlyEqual(fault, end) ? { cutShortByFault: true } : {}),
          }),
        );
        restartEndSeconds = end;
        resume = { seconds: end, iteration: event.startIteration };
        resumes = [resume];
        return;
      }
    }
  };
  for (const event of run.events) onEvent(event);
  // The run ends where its last PLT point was taken: the wall clock and iteration it stopped at.
  const last = run.pltSeries[run.pltSeries.length - 1];
  if (last) train(last.seconds, last.iteration, false);

  for (const doubling of kDoublings(run.kSeries))
    drafts.push(
      instant(
        TID.training,
        `Dynamic K: ${describeKDoubling(doubling, twoLevel)}`,
        'dynamicK',
        doubling.seconds,
        'g',
        {
          fromIteration: doubling.iteration,
          K: doubling.kTo,
          previousK: doubling.kFrom,
          K_persist: doubling.kPersistTo,
          previousK_persist: doubling.kPersistFrom,
        },
      ),
    );
  for (const point of run.kSeries)
    drafts.push({
      ph: 'C',
      name: 'K',
      pid: PID,
      tsUs: microsecondsOf(point.seconds),
      args: twoLevel ? { K: point.k, K_persist: point.kPersist } : { K: point.k },
    });
  for (const point of run.pltSeries)
    drafts.push({
      ph: 'C',
      name: 'PLT',
      pid: PID,
      tsUs: microsecondsOf(point.seconds),
      args: { PLT: point.plt },
    });

  const writable = drafts.filter(isWritable);
  return {
    traceEvents: orderedTraceEvents(metadataEvents(scenario), writable),
    displayTimeUnit: 'ms',
    metadata: {
      source: 'MoE Lab',
      link: `#${link}`,
      timeUnit: 'ts and dur: microseconds of simulated wall-clock time from the start of the run',
      coalescing: CHECKPOINT_TRACE_COALESCING,
      run: {
        completed: run.completed,
        iterationsCompleted: run.iterationsCompleted,
        totalIterations: run.totalIterations,
        totalSeconds: run.time.totalSeconds,
        goodput: run.time.goodput,
        plt: run.plt,
        checkpoints: run.checkpoints,
        faults: run.faults,
        faultsInTrace,
        lostIterations: run.lostIterations,
        omittedEvents: run.omittedEvents,
        eventsNote: run.eventsNote,
        ...(writable.length < drafts.length
          ? { eventsWithoutFiniteTimes: drafts.length - writable.length }
          : {}),
      },
    },
  };
}

/** The trace as the file's text (what the browser downloads and `sim --trace` writes). */
export function checkpointTraceJson(input: CheckpointTraceInput): string {
  return traceFileJson(checkpointTrace(input));
}
