import type { Scenario } from '../scenario/types';
import { EventLog } from './runEvents';
import { faultSource, MAX_FAULTS, MAX_FAULTS_WITHOUT_PROGRESS } from './runFaults';
import { runNotes } from './runNotes';
import { emptyGrid, finishGrid, timeAccounting } from './runResult';
import { SavePipeline } from './runSaves';
import { everyExpertSet, listSet, loadAwareSelection, type ExpertSet } from './runSelection';
import { sequentialSelection } from './selection';
import { runSetup } from './runSetup';
import { effectiveExpertsPerCheckpoint, effectiveExpertsPersisted } from './sizes';
import type {
  CheckpointRun,
  KPoint,
  PltPoint,
  RunEvent,
  ScheduledFault,
  SimulateRunOptions,
} from './runTypes';
import type { CheckpointCosts, CostsForK } from './types';

/**
 * The event-driven fault simulation of a long training run under MoC-System checkpointing (papers.md §1.3–1.8).
 * It jumps from checkpoint to checkpoint and from fault to fault; per checkpoint the work is O(MoE layers × K)
 * (sequential) or O(MoE layers × N) (load-aware), per fault O(MoE layers × N). Costs come from `costsFor(K)`,
 * asked again when dynamic K doubles K. Deterministic: the same scenario and costs give the same run.
 */
export function simulateRun(
  scenario: Scenario,
  costsFor: CostsForK,
  options: SimulateRunOptions = {},
): CheckpointRun {
  const setup = runSetup(scenario, options.customLoads);
  const { moeLayers: layers, experts, shares, nodes } = setup;
  const settings = scenario.checkpoint;
  const pec = settings.pec;
  const loadAware = settings.selection === 'load-aware';
  const interval = Math.max(1, Math.floor(settings.intervalIterations));
  const total = Math.max(0, Math.floor(settings.totalIterations));
  const view = Math.min(total, Math.max(0, Math.floor(settings.viewIteration)));
  let k = effectiveExpertsPerCheckpoint(scenario, settings.expertsPerCheckpoint, experts);
  let kPersist = effectiveExpertsPersisted(scenario, settings.expertsPersisted, k);
  let costs: CheckpointCosts = costsFor(k, kPersist);
  let iterationSeconds = costs.iterationSeconds;

  const log = new EventLog(view, interval);
  const saves = new SavePipeline({
    layers,
    experts,
    twoLevel: settings.twoLevel,
    shares,
    loadAware,
    record: log.record,
  });
  const nextFault = faultSource(scenario, nodes, options.faults);
  const heap = new Float64Array(experts);
  const scratch = new Float64Array(experts);

  const grid = emptyGrid(view, layers, experts, k, kPersist);
  /** The save state when the run is at iteration `view` at wall time `time` (the last pass wins: the final one). */
  const capture = (time: number): void => {
    saves.flushTo(time);
    grid.lastSaved.set(saves.snapIter);
    grid.lastPersisted.set(saves.persistIter);
    grid.k = k;
    grid.kPersist = kPersist;
  };

  let iteration = 0;
  let wall = 0;
  let stallPending = 0;
  let pointer = 0;
  let executedSeconds = 0;
  let stallSeconds = 0;
  let restartSeconds = 0;
  let lostSeconds = 0;
  let lostIterations = 0;
  let checkpoints = 0;
  let faults = 0;
  let lostShareIterations = 0; // Σ_faults Σ_layers Σ_experts share·(t_c − t_copy)
  let lostShareAtKChange = 0; // lostShareIterations when K last changed: what the current K has lost since
  const pltScale = layers > 0 && total > 0 ? 1 / (layers * total) : 0;
  const pltSeries: PltPoint[] = [{ iteration: 0, seconds: 0, plt: 0 }];
  const kSeries: KPoint[] = [{ iteration: 0, seconds: 0, k, kPersist }];
  let restarting = false;
  let restartStart = 0;
  let restartEnd = 0;
  let restartEvent: RunEvent | null = null;
  let completed = true;
  let stuckFaults = 0; // consecutive faults rolling back to the same checkpoint
  let lastRollback = -1;

  const takeCheckpoint = (): void => {
    let set: ExpertSet;
    if (loadAware && k < experts) {
      // The copies as they stand now: the previous checkpoint's snapshot, long finished, must count as saved, or
      // load-aware would pick the experts it just saved a second time.
      saves.flushTo(wall);
      const list = saves.borrow();
      loadAwareSelection({
        shares,
        saved: saves.snapIter,
        layers,
        experts,
        k,
        iteration,
        pointer,
        expertParallel: scenario.parallelism.ep,
        heap,
        scratch,
        out: list,
      });
      set = listSet(k, list);
    } else if (k < experts) {
      const list = saves.borrow();
      sequentialSelection(layers, experts, k, pointer, list, scenario.parallelism.ep);
      set = listSet(k, list);
    } else {
      set = everyExpertSet(experts);
    }
    pointer = (pointer + k) % experts;
    checkpoints += 1;
    log.record({
      kind: 'checkpoint',
      startIteration: iteration,
      endIteration: iteration,
      startSeconds: wall,
      durationSeconds: costs.saveStallSeconds,
      k,
    });
    saves.takeCheckpoint({
      iteration,
      startSeconds: wall,
      set,
      pointerAfter: pointer,
      kPersist,
      snapshotSeconds: costs.snapshotSeconds,
      persistSeconds: settings.twoLevel ? costs.persistSeconds : 0,
    });
    stallPending = costs.saveStallSeconds;
  };

  const handleFault = (fault: ScheduledFault, partialSeconds: number): void => {
    faults += 1;
    saves.abortAt(fault.seconds);
    const tc = saves.lastComplete;
    stuckFaults = faults > 1 && tc === lastRollback ? stuckFaults + 1 : 0;
    lastRollback = tc;
    lostIterations += iteration - tc;
    lostSeconds += (iteration - tc) * iterationSeconds + partialSeconds;
    log.record({
      kind: 'fault',
      startIteration: iteration,
      endIteration: iteration,
      startSeconds: fault.seconds,
      durationSeconds: 0,
      node: fault.node,
    });
    log.record({
      kind: 'rollback',
      startIteration: iteration,
      endIteration: tc,
      startSeconds: fault.seconds,
      durationSeconds: 0,
      node: fault.node,
    });
    lostShareIterations += saves.restore(tc, setup.expertsOnNode(fault.node));
    pltSeries.push({ iteration, seconds: fault.seconds, plt: lostShareIterations * pltScale });
    iteration = tc;
    pointer = saves.lastCompletePointer;
    stallPending = 0;
    restarting = true;
    restartStart = fault.seconds;
    restartEnd = fault.seconds + costs.restartSeconds;
    restartEvent = log.record({
      kind: 'restart',
      startIteration: tc,
      endIteration: tc,
      startSeconds: fault.seconds,
      durationSeconds: costs.restartSeconds,
      node: fault.node,
    });
  };

  const recovered = (): void => {
    restartSeconds += restartEnd - restartStart;
    wall = restartEnd;
    restarting = false;
    // Dynamic K (MoC §5.3): after a recovery, double K if the PLT accumulated while saving with the current K is
    // above the threshold (papers.md §1.8: "the accumulated PLT for the current K_pec"); losses under an earlier,
    // smaller K do not count against the new one, so K settles where it keeps PLT in bounds (Fig. 15(b): 1→4), not
    // at N. With two-level saving K_pec is split into K_snapshot and K_persist (§5.1); the paper says only that K_pec
    // doubles, and the lab doubles both (derived): a failed node restores from its persisted copies, so raising only
    // K_snapshot would leave its losses, and PLT, where they were.
    const canGrow = k < experts || kPersist < k;
    const pltAtCurrentK = (lostShareIterations - lostShareAtKChange) * pltScale;
    if (settings.dynamicK && pec && canGrow && pltAtCurrentK > settings.pltThreshold) {
      lostShareAtKChange = lostShareIterations;
      k = Math.min(experts, 2 * k);
      kPersist = settings.twoLevel ? Math.min(k, 2 * kPersist) : k;
      costs = costsFor(k, kPersist);
      iterationSeconds = costs.iterationSeconds;
      kSeries.push({ iteration, seconds: wall, k, kPersist });
    }
    if (iteration === view) capture(wall);
  };

  if (view === 0) capture(0);
  let fault = nextFault();
  for (;;) {
    if (restarting) {
      if (fault.seconds < restartEnd) {
        if (faults >= MAX_FAULTS || stuckFaults >= MAX_FAULTS_WITHOUT_PROGRESS) {
          completed = false;
          break;
        }
        restartSeconds += fault.seconds - restartStart;
        // (Assigned in handleFault: a closure, so the narrowing to null above does not hold here.)
        const interrupted = restartEvent as RunEvent | null;
        if (interrupted) interrupted.durationSeconds = fault.seconds - restartStart;
        wall = fault.seconds;
        handleFault(fault, 0);
        fault = nextFault();
      } else recovered();
      continue;
    }
    if (iteration >= total) break;
    const target = Math.min(total, (Math.floor(iteration / interval) + 1) * interval);
    const arrival = wall + stallPending + (target - iteration) * iterationSeconds;
    if (fault.seconds < arrival) {
      if (faults >= MAX_FAULTS || stuckFaults >= MAX_FAULTS_WITHOUT_PROGRESS) {
        completed = false;
        break;
      }
      const elapsed = Math.max(0, fault.seconds - wall);
      const stalled = Math.min(stallPending, elapsed);
      const working = elapsed - stalled;
      const whole =
        iterationSeconds > 0
          ? Math.min(target - iteration - 1, Math.floor(working / iterationSeconds))
          : target - iteration - 1;
      if (iteration < view && view <= iteration + whole)
        capture(wall + stalled + (view - iteration) * iterationSeconds);
      stallSeconds += stalled;
      executedSeconds += working;
      iteration += whole;
      wall = fault.seconds;
      handleFault(fault, working - whole * iterationSeconds);
      fault = nextFault();
      continue;
    }
    if (iteration < view && view <= target)
      capture(wall + stallPending + (view - iteration) * iterationSeconds);
    stallSeconds += stallPending;
    executedSeconds += (target - iteration) * iterationSeconds;
    iteration = target;
    wall = arrival;
    stallPending = 0;
    if (target % interval === 0) takeCheckpoint();
    if (iteration >= total) {
      stallSeconds += stallPending;
      wall += stallPending;
      stallPending = 0;
    }
  }

  // Saves that finish by the end of the run (an instant final snapshot and persist) still count.
  saves.flushTo(wall);
  finishGrid(grid);
  const plt = lostShareIterations * pltScale;
  pltSeries.push({ iteration, seconds: wall, plt });
  const time = timeAccounting({ executedSeconds, stallSeconds, restartSeconds, lostSeconds });
  const overheadSeconds = stallSeconds + restartSeconds + lostSeconds;
  const meanIterationSeconds = iteration > 0 ? time.usefulSeconds / iteration : iterationSeconds;
  return {
    completed,
    iterationsCompleted: iteration,
    totalIterations: total,
    moeLayers: layers,
    experts,
    nodes,
    events: log.sorted(),
    faultSeconds: log.faultSeconds,
    omittedEvents: log.omitted,
    eventsNote: log.note(),
    grid,
    pltSeries,
    plt,
    lostShareIterations,
    kSeries,
    finalK: k,
    finalKPersist: kPersist,
    faults,
    lostIterations,
    checkpoints,
    discardedCheckpoints: saves.discardedCheckpoints,
    persistsCompleted: saves.persistsCompleted,
    persistsDropped: saves.persistsDropped,
    time,
    overhead: {
      seconds: overheadSeconds,
      iterations: meanIterationSeconds > 0 ? overheadSeconds / meanIterationSeconds : 0,
    },
    notes: runNotes(settings, completed),
  };
}
