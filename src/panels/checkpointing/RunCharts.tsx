import { useId, useState } from 'react';
import type { CheckpointCosts, CheckpointSettings } from '../../core/checkpoint/types';
import { describeKDoubling, kDoublings } from '../../core/checkpoint/runKChanges';
import type { CheckpointRun } from '../../core/checkpoint/runTypes';
import { formatInput, formatValue } from '../../core/format';
import { CheckpointTimeline } from '../../charts/CheckpointTimeline';
import { GridHeatmap } from '../../charts/GridHeatmap';
import { LineChart, type XEvents } from '../../charts/LineChart';
import { stalenessScale } from './stalenessScale';

/** Staleness as the grid's data gives it: 1,200 iterations. */
const formatIterations = (value: number) => formatInput(value, 'iterations');

/** The wall-clock second at which training reaches `iteration`, read off the run's events. */
function secondsAtIteration(run: CheckpointRun, iteration: number, iterationSeconds: number): number {
  let anchor = { iteration: 0, seconds: 0 };
  for (const event of run.events) {
    if (event.kind !== 'checkpoint' || event.discarded) continue;
    if (event.startIteration > iteration) break;
    anchor = { iteration: event.startIteration, seconds: event.startSeconds + event.durationSeconds };
  }
  return anchor.seconds + (iteration - anchor.iteration) * iterationSeconds;
}

/**
 * Dynamic K's doublings as ticks on the PLT chart (MoC §5.3: after a recovery, K doubles while PLT is above the
 * threshold), at the iteration training resumed from; none to mark when dynamic K is off or PEC saves every expert.
 */
function doublingEvents(run: CheckpointRun, settings: CheckpointSettings): XEvents | undefined {
  if (!settings.dynamicK || !settings.pec) return undefined;
  return {
    name: 'Dynamic K doublings (after a fault, from the checkpoint rolled back to)',
    column: 'doubled',
    items: kDoublings(run.kSeries).map((doubling) => ({
      x: doubling.iteration,
      label: describeKDoubling(doubling, settings.twoLevel, true),
      description: describeKDoubling(doubling, settings.twoLevel),
    })),
  };
}

/**
 * The simulated run at the iteration shown: the timeline around it and over the whole run, the staleness grid of
 * layers × experts, how the run is simulated, and PLT over the run against its threshold.
 */
export function RunCharts({
  run,
  costs,
  settings,
  experts,
}: {
  run: CheckpointRun;
  costs: CheckpointCosts;
  settings: CheckpointSettings;
  experts: number;
}) {
  const percent = (value: number) => formatValue(value, 'fraction');
  const doublings = doublingEvents(run, settings);
  const iterationSeconds = costs.iterationSeconds;
  const nowSeconds = secondsAtIteration(run, settings.viewIteration, iterationSeconds);
  // About a dozen checkpoint intervals, or enough to see four persists, around the iteration shown.
  const windowSeconds = Math.max(
    settings.intervalIterations * iterationSeconds * 12,
    costs.persistSeconds * 4,
    60,
  );
  const windowStartSeconds = Math.max(0, nowSeconds - windowSeconds / 2);
  // With two-level saving each expert has two copies: the in-memory snapshot (what a healthy node restores) and
  // the persisted one (what a failed node restores, MoC §5.1). Both staleness grids are worth seeing.
  const [copy, setCopy] = useState<'snapshot' | 'persisted'>('snapshot');
  const copyGroupName = useId();
  const persisted = settings.twoLevel && copy === 'persisted';
  // One scale for both copies (the persisted one is the staler), so switching between them compares like with like.
  const scale = stalenessScale(
    experts,
    settings.intervalIterations,
    settings.twoLevel ? [run.grid.staleness, run.grid.persistStaleness] : [run.grid.staleness],
  );
  const staleMax = scale.maxIterations;
  return (
    <>
      <CheckpointTimeline
        events={run.events}
        faultSeconds={run.faultSeconds}
        fromSeconds={windowStartSeconds}
        toSeconds={windowStartSeconds + windowSeconds}
        nowSeconds={nowSeconds}
        label={`Training timeline around iteration ${settings.viewIteration}`}
      />
      <CheckpointTimeline
        events={run.events}
        faultSeconds={run.faultSeconds}
        fromSeconds={0}
        toSeconds={run.time.totalSeconds}
        nowSeconds={nowSeconds}
        label="The whole run"
      />
      {run.omittedEvents > 0 ? <p className="chart__note">{run.eventsNote}</p> : null}
      {settings.twoLevel ? (
        <fieldset className="choice-row">
          <legend>Staleness of each expert’s</legend>
          {(
            [
              ['snapshot', 'in-memory snapshot (healthy nodes restore it)'],
              ['persisted', 'persisted copy (a failed node restores it)'],
            ] as const
          ).map(([value, label]) => (
            <label key={value}>
              <input
                type="radio"
                name={copyGroupName}
                value={value}
                checked={copy === value}
                onChange={() => setCopy(value)}
              />{' '}
              {label}
            </label>
          ))}
        </fieldset>
      ) : null}
      <GridHeatmap
        title={
          persisted
            ? `Staleness at iteration ${settings.viewIteration}: iterations since each expert was last persisted (K_persist = ${run.grid.kPersist})`
            : `Staleness at iteration ${settings.viewIteration}: iterations since each expert was last saved (K = ${run.grid.k})`
        }
        rows={run.grid.layers}
        columns={run.grid.experts}
        values={persisted ? run.grid.persistStaleness : run.grid.staleness}
        maxValue={staleMax}
        rowLabel="layer"
        columnLabel="experts"
        legend={`colour = iterations since the last ${persisted ? 'persist' : 'save'} (0 to ${formatInput(staleMax, '')}+${settings.twoLevel ? ', the same scale for both copies' : ''}; top colour = ${scale.meaning})`}
        scaleEnds={['saved now', `${formatInput(staleMax, '')}+ iterations ago: ${scale.short}`]}
        valueName="staleness"
        formatValue={formatIterations}
      />
      <details className="run-notes">
        <summary>How this run is simulated</summary>
        <ul>
          {run.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      </details>
      <LineChart
        title="Proportion of Lost Tokens over the run"
        series={[
          {
            id: 'plt',
            label: 'PLT',
            // PLT grows only when a fault loses tokens: it holds between faults and jumps at each one.
            steps: true,
            points: [{ x: 0, y: 0 }, ...run.pltSeries.map((point) => ({ x: point.iteration, y: point.plt }))],
          },
        ]}
        xLabel="iteration"
        yLabel="PLT"
        // Iterations exactly (13,457, not 13500): the data under the chart gives each fault's.
        formatX={(value) => formatInput(value, '')}
        formatY={percent}
        references={[
          { axis: 'y', value: settings.pltThreshold, label: `threshold ${percent(settings.pltThreshold)}` },
        ]}
        {...(doublings ? { xEvents: doublings } : {})}
      />
    </>
  );
}
