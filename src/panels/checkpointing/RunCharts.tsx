import type { CheckpointCosts, CheckpointSettings } from '../../core/checkpoint/types';
import type { CheckpointRun } from '../../core/checkpoint/runTypes';
import { formatValue } from '../../core/format';
import { CheckpointTimeline } from '../../charts/CheckpointTimeline';
import { GridHeatmap } from '../../charts/GridHeatmap';
import { LineChart } from '../../charts/LineChart';

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
  const iterationSeconds = costs.iterationSeconds;
  const nowSeconds = secondsAtIteration(run, settings.viewIteration, iterationSeconds);
  // About a dozen checkpoint intervals, or enough to see four persists, around the iteration shown.
  const windowSeconds = Math.max(
    settings.intervalIterations * iterationSeconds * 12,
    costs.persistSeconds * 4,
    60,
  );
  const windowStartSeconds = Math.max(0, nowSeconds - windowSeconds / 2);
  // Sequential selection saves every expert within ⌈N/K⌉ checkpoints: the colour scale's top.
  const staleMax = Math.max(
    1,
    Math.ceil(experts / Math.max(1, settings.expertsPerCheckpoint)) * settings.intervalIterations,
  );
  return (
    <>
      <CheckpointTimeline
        events={run.events}
        fromSeconds={windowStartSeconds}
        toSeconds={windowStartSeconds + windowSeconds}
        nowSeconds={nowSeconds}
        label={`Training timeline around iteration ${settings.viewIteration}`}
      />
      <CheckpointTimeline
        events={run.events}
        fromSeconds={0}
        toSeconds={run.time.totalSeconds}
        nowSeconds={nowSeconds}
        label="The whole run"
      />
      {run.omittedEvents > 0 ? <p className="chart__note">{run.eventsNote}</p> : null}
      <GridHeatmap
        title={`Staleness at iteration ${settings.viewIteration}: iterations since each expert was last saved (K = ${run.grid.k})`}
        rows={run.grid.layers}
        columns={run.grid.experts}
        values={run.grid.staleness}
        maxValue={staleMax}
        rowLabel="layer"
        columnLabel="experts"
        legend={`colour = iterations since the last save (0 to ${staleMax}+)`}
        scaleEnds={['saved now', `${staleMax}+ iterations ago`]}
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
        formatX={(value) => formatValue(value, '')}
        formatY={percent}
        references={[
          { axis: 'y', value: settings.pltThreshold, label: `threshold ${percent(settings.pltThreshold)}` },
        ]}
      />
    </>
  );
}
