import { useMemo } from 'react';
import type { Metric } from '../../core/metric';
import { checkpointCostBreakdown } from '../../core/checkpoint/costs';
import { jobMtbfHours } from '../../core/checkpoint/jobMtbf';
import { checkpointMetrics } from '../../core/checkpoint/metrics';
import { runMetrics, unfinishedRunWarning } from '../../core/checkpoint/runMetrics';
import { formatValue } from '../../core/format';
import { trainingStateMemoryFractionMetric } from '../../core/metrics/trainingMemory';
import { RankBars } from '../../charts/RankBars';
import { useAppState } from '../../state/AppStoreContext';
import { LabLayout } from '../common/LabLayout';
import { MetricsDownload } from '../common/MetricsDownload';
import { MetricView } from '../common/MetricView';
import { CheckpointControls } from './CheckpointControls';
import { CheckpointSizeBars } from './CheckpointSizeBars';
import { CheckpointTransport } from './CheckpointTransport';
import { OverheadCurve } from './OverheadCurve';
import { RunCharts } from './RunCharts';
import { TraceDownload } from './TraceDownload';
import { useCheckpointRun } from './useCheckpointRun';

const EMPHASISED = new Set(['checkpoint.saveStallSeconds', 'checkpoint.run.plt', 'checkpoint.run.goodput']);

/** The training-memory figure's warning, in the words and numbers the Summary gives it. */
function MemoryWarning({ metric }: { metric: Metric }) {
  const states = metric.inputs.find((item) => item.symbol === 'M_states')?.value ?? 0;
  const gpu = metric.inputs.find((item) => item.symbol === 'M_GPU')?.value ?? 0;
  return (
    <p className="warning" role="note" data-testid="memory-warning">
      Training memory {metric.flag}: the model states take {formatValue(states, 'B')} per GPU against{' '}
      {formatValue(gpu, 'B')} of GPU memory ({formatValue(metric.value, 'fraction')}). {metric.note} The
      checkpoint figures below assume the job runs.
    </p>
  );
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
  // The Summary's training-memory figure: a checkpoint of a job that cannot run is worth a warning here too.
  const memory = useMemo(() => trainingStateMemoryFractionMetric(scenario), [scenario]);
  const settings = scenario.checkpoint;
  const { costs, composition } = breakdown;
  const unfinished = run ? unfinishedRunWarning(run) : undefined;
  const runMetricList = useMemo(() => (run ? runMetrics(run, settings) : []), [run, settings]);
  // The run on screen belongs to an older scenario while the new one is simulated: nothing is exported from it.
  const exportUnavailable = error
    ? 'The run could not be simulated, so there is nothing to export.'
    : computing || !run
      ? 'Simulating the run…'
      : null;
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
      {breakdown.trainingOnlyNote ? (
        <p className="chart__note" role="note" data-testid="training-only">
          {breakdown.trainingOnlyNote}
        </p>
      ) : null}
      {breakdown.storageRecoveryNote ? (
        <p className="warning" role="note">
          {breakdown.storageRecoveryNote}
        </p>
      ) : null}
      {memory.flag ? <MemoryWarning metric={memory} /> : null}
      {unfinished ? (
        <p className="warning" role="alert" data-testid="unfinished-run">
          {unfinished}
        </p>
      ) : null}
      <LabLayout
        settingsTitle="Checkpointing settings"
        settingsClassName="checkpointing__settings"
        settings={<CheckpointControls />}
      >
        <CheckpointTransport ready={!computing} />
        <TraceDownload scenario={scenario} run={run} unavailable={exportUnavailable} />
        {run ? (
          <RunCharts run={run} costs={costs} settings={settings} experts={composition.experts} />
        ) : (
          <p className="chart__note">Simulating the run…</p>
        )}
        <div className="checkpointing__static">
          <CheckpointSizeBars composition={composition} k={breakdown.k} pec={settings.pec} />
          <RankBars
            title={`Bytes each rank ${settings.twoLevel ? 'snapshots' : 'saves'} per checkpoint (${settings.sharding} sharding)`}
            values={breakdown.snapshot.rankBytes}
            bottleneckRank={breakdown.snapshot.bottleneckRank}
            formatValue={(value) => formatValue(value, 'B')}
          />
          {breakdown.imbalanceNote ? <p className="chart__note">{breakdown.imbalanceNote}</p> : null}
          <OverheadCurve costs={costs} settings={settings} jobMtbfHours={jobMtbfHours(scenario)} />
        </div>
        <section className="metric-group checkpointing__metrics" aria-label="Checkpointing metrics">
          <h3>Per checkpoint</h3>
          {staticMetrics.map((metric) => (
            <MetricView key={metric.id} metric={metric} emphasis={EMPHASISED.has(metric.id)} />
          ))}
          {run ? (
            <>
              <h3>Over the run</h3>
              {runMetricList.map((metric) => (
                <MetricView key={metric.id} metric={metric} emphasis={EMPHASISED.has(metric.id)} />
              ))}
            </>
          ) : null}
          <MetricsDownload
            lab="checkpointing"
            labName="Checkpointing"
            metrics={[...staticMetrics, ...runMetricList]}
            unavailable={exportUnavailable}
          />
        </section>
      </LabLayout>
    </section>
  );
}
