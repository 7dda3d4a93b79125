import { useMemo, useState } from 'react';
import {
  countParameters,
  deviceLevelCapacity,
  replicaLoads,
  resolveArchitecture,
  routingInForce,
} from '../../core';
import { formatInput } from '../../core/format';
import { meanExpertLoad, routingMetrics } from '../../core/routing/metrics';
import { expandedDropActive } from '../../core/routing/metricSupport';
import { batchMetricId } from '../../core/routing/summaryMetrics';
import { ExpertLoadBars } from '../../charts/ExpertLoadBars';
import { LoadHeatmap } from '../../charts/LoadHeatmap';
import { TokenFlow } from '../../charts/TokenFlow';
import { useAppState } from '../../state/AppStoreContext';
import { usePrefersReducedMotion } from '../../state/reducedMotion';
import { LabLayout } from '../common/LabLayout';
import { MetricsDownload } from '../common/MetricsDownload';
import { MetricView } from '../common/MetricView';
import { LoadMatrixInput } from './LoadMatrixInput';
import { MeasuredProfileNote } from './MeasuredProfileNote';
import { PaperChecksLink } from './PaperChecksLink';
import { ReplicaNote } from './ReplicaNote';
import { SharedExpertsNote } from './SharedExpertsNote';
import { RoutingControls } from './RoutingControls';
import { RoutingTransport } from './RoutingTransport';
import { useRoutingSimulation } from './useRoutingSimulation';

const EMPHASISED_FIGURES = ['routing.maxOverMean', 'routing.droppedFraction', 'routing.qualityCost'];
const EMPHASISED = new Set([...EMPHASISED_FIGURES, ...EMPHASISED_FIGURES.map(batchMetricId)]);

/** The Routing lab: why MoE is hard — skewed routers, a capacity limit that drops tokens, and what gets dropped. */
export function RoutingPanel() {
  const scenario = useAppState((state) => state.scenario);
  const customLoads = useAppState((state) => state.customLoads);
  const setField = useAppState((state) => state.setField);
  const reducedMotion = usePrefersReducedMotion();
  const matrix = scenario.routing.profile === 'custom' ? (customLoads?.matrix ?? null) : null;
  const [playing, setPlaying] = useState(false);
  const simulation = useRoutingSimulation(scenario, matrix, playing);
  const { current, previous, batchMetrics } = simulation;
  // A setting that takes seconds to route (DeepSeek-V3 under expert choice: ~4 s) leaves the old figures on screen
  // meanwhile; dimmed and marked busy, they no longer read as the answer to the new settings.
  const stale = simulation.computing && current !== null;
  const staleClass = stale ? ' routing--stale' : '';
  const moeLayers = Math.max(1, countParameters(resolveArchitecture(scenario)).moeLayers);
  const layerIndex = Math.min(scenario.routing.layer, (current?.layers.length ?? 1) - 1);
  const layer = current?.layers[layerIndex];
  const previousLayer =
    previous && previous.experts === current?.experts ? previous.layers[layerIndex] : undefined;
  const metrics = useMemo(
    () => (current ? routingMetrics(scenario, current, layerIndex) : []),
    [scenario, current, layerIndex],
  );
  // One array per routed batch, so the heatmap recolours and redraws only when the batch changes.
  const preDropLoads = useMemo(() => current?.layers.map((each) => each.preDropLoad) ?? [], [current]);
  const meanLoad = current && layer ? meanExpertLoad(scenario, current, layer) : 0;
  const customMissing = scenario.routing.profile === 'custom' && !customLoads;
  // As routed: a decode step runs without the limit, so its bars are not grouped by device.
  const deviceLimit = deviceLevelCapacity(scenario);
  const ep = scenario.parallelism.ep;
  // Once per routed layer, not per render: it walks every device's flow to every expert.
  const replicas = useMemo(
    () => (current && layer ? replicaLoads(current, layer, ep) : null),
    [current, layer, ep],
  );
  // Each bar sums an expert over every simulated device, so over its replicas when DP > EP (ReplicaNote says so).
  const summed = replicas ? `, summed over each expert’s ${replicas.simulatedGroups} replicas` : '';
  return (
    <section className="panel routing" aria-labelledby="routing-heading">
      <h2 id="routing-heading">Routing</h2>
      <p className="panel__lead">
        Routers are skewed: some experts get far more tokens than the mean N̄. A capacity limit caps each
        expert on each device, and the overflow is dropped. Which tokens are dropped matters: score-based
        dropping keeps the most confident. Change a setting and watch the flow, the bars and the heatmap.
      </p>
      <PaperChecksLink />
      {customMissing ? (
        <p className="warning" role="note">
          This scenario uses your own load matrix, which is not loaded here (uploaded data is not part of a
          link). Routing falls back to the Zipf profile until you load one below.
        </p>
      ) : null}
      {simulation.error ? (
        <p className="warning" role="alert">
          Routing failed: {simulation.error}
        </p>
      ) : null}
      <LabLayout
        settingsTitle="Routing settings"
        settingsClassName="routing__settings"
        settings={
          <>
            <RoutingControls />
            <LoadMatrixInput />
          </>
        }
      >
        <RoutingTransport
          ready={!simulation.computing}
          updating={stale}
          moeLayers={moeLayers}
          playing={playing}
          setPlaying={setPlaying}
        />
        {current && layer ? (
          <>
            {current.tokensPerDevice < scenario.routing.tokensPerDevice ? (
              <p className="chart__note">
                Each source device routes the step’s own {formatInput(current.tokensPerDevice, 'tokens')}{' '}
                (⌈b/DP⌉ sequences of{' '}
                {scenario.workload.mode === 'decode'
                  ? 'one token in decode'
                  : formatInput(scenario.workload.seqLen, 'tokens')}
                ), fewer than the {formatInput(scenario.routing.tokensPerDevice, 'tokens')} the Simulated
                tokens setting would sample.
              </p>
            ) : null}
            {current.devices < current.devicesInScenario ? (
              <p className="chart__note">
                Simulating {current.devices} of the scenario’s {current.devicesInScenario} source devices (
                {current.tokensPerDevice} tokens each); the others are statistically alike.
              </p>
            ) : null}
            {replicas ? (
              <ReplicaNote
                replicas={replicas}
                dp={current.devicesInScenario}
                devices={current.devices}
                capacity={layer.capacity}
              />
            ) : null}
            <MeasuredProfileNote scenario={scenario} experts={current.experts} />
            <SharedExpertsNote scenario={scenario} />
            <div className={`routing__charts${staleClass}`} aria-busy={stale}>
              <TokenFlow
                preDropFlow={layer.preDropFlow}
                keptFlow={layer.keptFlow}
                devices={current.devices}
                experts={current.experts}
                animate={!reducedMotion}
                seed={scenario.workload.seed}
                label={`Token flow, MoE layer ${layerIndex}, batch ${current.step}${replicas ? `, each expert’s ${replicas.simulatedGroups} replicas merged` : ''}`}
              />
              <ExpertLoadBars
                loads={{ preDrop: layer.preDropLoad, kept: layer.keptLoad }}
                previous={
                  previousLayer ? { preDrop: previousLayer.preDropLoad, kept: previousLayer.keptLoad } : null
                }
                capacityLine={layer.capacity * current.devices}
                capacityLabel={`${current.devices} × C`}
                capacityExplanation={
                  deviceLimit
                    ? `${current.devices} × C: each expert’s share of the device-level limit, which caps a device’s experts together, so one expert may cross it`
                    : `capacity: C per source device, times the ${current.devices} devices${summed}`
                }
                expertsPerDevice={deviceLimit ? current.localExperts : undefined}
                showAdded={expandedDropActive(routingInForce(scenario))}
                meanLoad={meanLoad}
                reducedMotion={reducedMotion}
                label={`Tokens per expert, MoE layer ${layerIndex} (all ${current.devices} devices${summed})`}
              />
              <LoadHeatmap
                layers={preDropLoads}
                meanLoad={meanLoad}
                focusLayer={layerIndex}
                onSelectLayer={(selected) => setField('routing.layer', selected)}
                label="Load per expert in every MoE layer, before the capacity limit"
              />
            </div>
            <div className={`metric-groups routing__metric-groups${staleClass}`} aria-busy={stale}>
              <section className="metric-group routing__metrics" aria-labelledby="routing-layer-metrics">
                <h3 id="routing-layer-metrics">
                  MoE layer {layerIndex}, batch {current.step}
                </h3>
                {metrics.map((metric) => (
                  <MetricView key={metric.id} metric={metric} emphasis={EMPHASISED.has(metric.id)} />
                ))}
              </section>
              {batchMetrics.length > 0 ? (
                <section
                  className="metric-group routing__batch-metrics"
                  aria-labelledby="routing-batch-metrics"
                >
                  <h3 id="routing-batch-metrics">
                    Whole batch {current.step}: all {current.layers.length} MoE layers
                  </h3>
                  {batchMetrics.map((metric) => (
                    <MetricView key={metric.id} metric={metric} emphasis={EMPHASISED.has(metric.id)} />
                  ))}
                </section>
              ) : null}
            </div>
            <MetricsDownload
              lab="routing"
              labName="Routing"
              metrics={[...metrics, ...batchMetrics]}
              unavailable={
                simulation.error
                  ? 'Routing failed, so there are no figures to download.'
                  : simulation.computing
                    ? 'Routing the batch…'
                    : null
              }
            />
          </>
        ) : (
          <p className="chart__note">Routing the first batch…</p>
        )}
      </LabLayout>
    </section>
  );
}
