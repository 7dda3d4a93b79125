import { useMemo } from 'react';
import type { Scenario } from '../../core';
import { checkpointCostBreakdown } from '../../core/checkpoint/costs';
import { checkpointMetrics } from '../../core/checkpoint/metrics';
import { faultOverhead } from '../../core/checkpoint/overhead';
import { runMetrics } from '../../core/checkpoint/runMetrics';
import type { CheckpointRun } from '../../core/checkpoint/runTypes';
import { formatValue } from '../../core/format';
import { CheckpointTimeline } from '../../charts/CheckpointTimeline';
import { GridHeatmap } from '../../charts/GridHeatmap';
import { LineChart } from '../../charts/LineChart';
import { RankBars } from '../../charts/RankBars';
import { StackedBar } from '../../charts/StackedBar';
import { useAppState } from '../../state/AppStoreContext';
import { LabControls, type ControlGroup } from '../common/LabControls';
import { MetricView } from '../common/MetricView';
import { CheckpointTransport } from './CheckpointTransport';
import { useCheckpointRun } from './useCheckpointRun';

const GROUPS: readonly ControlGroup[] = [
  {
    title: 'What and who',
    keys: [
      'checkpoint.optimizerBytesPerParam',
      'checkpoint.sharding',
      'checkpoint.pec',
      'checkpoint.expertsPerCheckpoint',
      'checkpoint.selection',
    ],
  },
  {
    title: 'How it is saved',
    keys: [
      'checkpoint.twoLevel',
      'checkpoint.expertsPersisted',
      'checkpoint.asynchronous',
      'checkpoint.intervalIterations',
    ],
  },
  {
    title: 'Faults over the run',
    keys: [
      'checkpoint.mtbfHours',
      'checkpoint.restartMinutes',
      'checkpoint.totalIterations',
      'checkpoint.dynamicK',
      'checkpoint.pltThreshold',
    ],
  },
];

function relevant(key: string, scenario: Scenario): boolean {
  const settings = scenario.checkpoint;
  if (
    key === 'checkpoint.expertsPerCheckpoint' ||
    key === 'checkpoint.selection' ||
    key === 'checkpoint.dynamicK'
  )
    return settings.pec;
  if (key === 'checkpoint.expertsPersisted') return settings.twoLevel && settings.pec;
  return true;
}

const EMPHASISED = new Set(['checkpoint.saveStallSeconds', 'checkpoint.run.plt', 'checkpoint.run.goodput']);

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

/** The Checkpointing lab: MoC-System's partial experts checkpointing, two-level saving, and faults over a long run. */
export function CheckpointingPanel() {
  const scenario = useAppState((state) => state.scenario);
  const customLoads = useAppState((state) => state.customLoads);
  const { run, computing, error } = useCheckpointRun(
    scenario,
    scenario.routing.profile === 'custom' ? (customLoads?.matrix ?? null) : null,
  );
  const breakdown = useMemo(() => checkpointCostBreakdown(scenario), [scenario]);
  const staticMetrics = useMemo(() => checkpointMetrics(scenario), [scenario]);
  const settings = scenario.checkpoint;
  const costs = breakdown.costs;
  const composition = breakdown.composition;
  const curve = useMemo(() => {
    const current = faultOverhead(costs, settings);
    const low = Math.max(
      1,
      Math.ceil(current.minIntervalIterations),
      Math.floor(Math.min(settings.intervalIterations, current.optimalIntervalIterations) / 20),
    );
    const high = Math.max(low * 10, settings.intervalIterations * 5, current.optimalIntervalIterations * 5);
    const points = Array.from({ length: 60 }, (_, index) => {
      const interval = low * (high / low) ** (index / 59);
      return {
        x: interval,
        y: faultOverhead(costs, { ...settings, intervalIterations: interval }).overheadFraction,
      };
    });
    return {
      points,
      current,
      optimum: faultOverhead(costs, { ...settings, intervalIterations: current.optimalIntervalIterations }),
    };
  }, [costs, settings]);
  const bytes = (value: number) => formatValue(value, 'B');
  const percent = (value: number) => formatValue(value, 'fraction');
  const iterationSeconds = costs.iterationSeconds;
  const nowSeconds = run ? secondsAtIteration(run, settings.viewIteration, iterationSeconds) : 0;
  const windowSeconds = Math.max(
    settings.intervalIterations * iterationSeconds * 12,
    costs.persistSeconds * 4,
    60,
  );
  const staleMax = Math.max(
    1,
    Math.ceil(composition.experts / Math.max(1, settings.expertsPerCheckpoint)) * settings.intervalIterations,
  );
  const kPec = breakdown.k;
  return (
    <section className="panel checkpointing" aria-labelledby="checkpointing-heading">
      <h2 id="checkpointing-heading">Checkpointing</h2>
      <p className="panel__lead">
        A checkpoint of an MoE model is mostly experts and their optimizer state, and saving it can stall
        training for minutes. MoC-System saves only K experts per layer each time, spreads the work over every
        rank, and snapshots to CPU memory while training goes on. Faults then roll back to the last complete
        checkpoint, and experts that were not saved recently lose some of their updates: the Proportion of
        Lost Tokens.
      </p>
      {error ? (
        <p className="warning" role="alert">
          The run could not be simulated: {error}
        </p>
      ) : null}
      <CheckpointTransport ready={!computing} />
      {run ? (
        <>
          <CheckpointTimeline
            events={run.events}
            fromSeconds={Math.max(0, nowSeconds - windowSeconds / 2)}
            toSeconds={Math.max(0, nowSeconds - windowSeconds / 2) + windowSeconds}
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
            rowLabel="MoE layer"
            columnLabel="experts"
            legend={`colour = iterations since the last save (0 to ${staleMax}+)`}
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
                points: [
                  { x: 0, y: 0 },
                  ...run.pltSeries.map((point) => ({ x: point.iteration, y: point.plt })),
                ],
              },
            ]}
            xLabel="iteration"
            yLabel="PLT"
            formatX={(value) => formatValue(value, '')}
            formatY={percent}
            references={[
              {
                axis: 'y',
                value: settings.pltThreshold,
                label: `threshold ${percent(settings.pltThreshold)}`,
              },
            ]}
          />
        </>
      ) : (
        <p className="chart__note">Simulating the run…</p>
      )}
      <div className="checkpointing__static">
        <StackedBar
          title={`Full checkpoint: ${bytes(composition.fullBytes)}`}
          segments={[
            {
              id: 'eo',
              label: 'Expert optimizer state',
              value: composition.expertOptimizerBytes,
              display: bytes(composition.expertOptimizerBytes),
            },
            {
              id: 'ew',
              label: 'Expert weights',
              value: composition.expertWeightBytes,
              display: bytes(composition.expertWeightBytes),
            },
            {
              id: 'no',
              label: 'Non-expert optimizer state',
              value: composition.nonExpertOptimizerBytes,
              display: bytes(composition.nonExpertOptimizerBytes),
            },
            {
              id: 'nw',
              label: 'Non-expert weights',
              value: composition.nonExpertWeightBytes,
              display: bytes(composition.nonExpertWeightBytes),
            },
          ]}
        />
        <StackedBar
          title={`With PEC (K = ${kPec} of ${composition.experts})`}
          total={composition.fullBytes}
          segments={[
            {
              id: 'eo',
              label: 'Expert optimizer state',
              value: (composition.expertOptimizerBytes * kPec) / composition.experts,
              display: bytes((composition.expertOptimizerBytes * kPec) / composition.experts),
            },
            {
              id: 'ew',
              label: 'Expert weights',
              value: (composition.expertWeightBytes * kPec) / composition.experts,
              display: bytes((composition.expertWeightBytes * kPec) / composition.experts),
            },
            {
              id: 'no',
              label: 'Non-expert optimizer state',
              value: composition.nonExpertOptimizerBytes,
              display: bytes(composition.nonExpertOptimizerBytes),
            },
            {
              id: 'nw',
              label: 'Non-expert weights',
              value: composition.nonExpertWeightBytes,
              display: bytes(composition.nonExpertWeightBytes),
            },
          ]}
        />
        <RankBars
          title={`Bytes each rank ${settings.twoLevel ? 'snapshots' : 'saves'} per checkpoint (${settings.sharding} sharding)`}
          values={breakdown.snapshot.rankBytes}
          bottleneckRank={breakdown.snapshot.bottleneckRank}
          formatValue={bytes}
        />
        {breakdown.imbalanceNote ? <p className="chart__note">{breakdown.imbalanceNote}</p> : null}
        <LineChart
          title="Fault-tolerance overhead against the checkpoint interval"
          series={[{ id: 'overhead', label: 'O_ckpt / run time', points: curve.points }]}
          xLabel="checkpoint interval (iterations, log scale)"
          yLabel="overhead"
          formatX={(value) => formatValue(value, '')}
          formatY={percent}
          logX
          marks={[
            {
              x: curve.current.optimalIntervalIterations,
              y: curve.optimum.overheadFraction,
              label: `optimum ≈ ${Math.round(curve.current.optimalIntervalIterations)}`,
            },
            { x: settings.intervalIterations, y: curve.current.overheadFraction, label: 'now' },
          ]}
        />
      </div>
      <section className="metric-group checkpointing__metrics" aria-label="Checkpointing metrics">
        <h3>Per checkpoint</h3>
        {staticMetrics.map((metric) => (
          <MetricView key={metric.id} metric={metric} emphasis={EMPHASISED.has(metric.id)} />
        ))}
        {run ? (
          <>
            <h3>Over the run</h3>
            {runMetrics(run, settings.pltThreshold).map((metric) => (
              <MetricView key={metric.id} metric={metric} emphasis={EMPHASISED.has(metric.id)} />
            ))}
          </>
        ) : null}
      </section>
      <details className="routing__settings" open>
        <summary>Checkpointing settings</summary>
        <LabControls groups={GROUPS} relevant={relevant} />
      </details>
    </section>
  );
}
