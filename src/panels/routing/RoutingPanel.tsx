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
import { useShownLoads } from './useShownLoads';

const EMPHASISED_FIGURES = [
  'routing.maxOverMean',
  'routing.keptMaxOverMean',
  'routing.droppedFraction',
  'routing.qualityCost',
];
/** Figures routed for older settings, shown while the new ones compute. */
const STALE = ' routing--stale';
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
  const { current, batchMetrics, layerPreview } = simulation;
  // A setting that takes seconds to route (DeepSeek-V3 under expert choice: ~4 s) leaves the old figures on screen
  // meanwhile; dimmed and marked busy, they no longer read as the answer to the new settings. A large batch's layer
  // shown comes first (layerPreview): its flow, bars and figures are current while the heatmap and the whole
  // batch's figures wait, dimmed.
  const batchStale = simulation.computing && current !== null;
  const layerStale = batchStale && layerPreview === null;
  const moeLayers = Math.max(1, countParameters(resolveArchitecture(scenario)).moeLayers);
  const batchLayerIndex = Math.min(scenario.routing.layer, (current?.layers.length ?? 1) - 1);
  /** The routed step the layer shown comes from, and that layer's index in the model and in the step. */
  const layerStep = layerPreview ?? current;
  const layerIndex = layerPreview ? Math.min(scenario.routing.layer, moeLayers - 1) : batchLayerIndex;
  const layer = layerStep?.layers[layerPreview ? 0 : layerIndex];
  const shown = useShownLoads(layer ? { preDrop: layer.preDropLoad, kept: layer.keptLoad } : null);
  const metrics = useMemo(
    () => (layerStep ? routingMetrics(scenario, layerStep, layerPreview ? 0 : layerIndex) : []),
    [scenario, layerStep, layerPreview, layerIndex],
  );
  // One array per routed batch, so the heatmap recolours and redraws only when the batch changes.
  const preDropLoads = useMemo(() => current?.layers.map((each) => each.preDropLoad) ?? [], [current]);
  const meanLoad = layerStep && layer ? meanExpertLoad(scenario, layerStep, layer) : 0;
  const batchLayer = current?.layers[batchLayerIndex];
  const batchMeanLoad = current && batchLayer ? meanExpertLoad(scenario, current, batchLayer) : 0;
  const customMissing = scenario.routing.profile === 'custom' && !customLoads;
  // As routed: a decode step runs without the limit, so its bars are not grouped by device.
  const deviceLimit = deviceLevelCapacity(scenario);
  const ep = scenario.parallelism.ep;
  // Once per routed layer, not per render: it walks every device's flow to every expert.
  const replicas = useMemo(
    () => (layerStep && layer ? replicaLoads(layerStep, layer, ep) : null),
    [layerStep, layer, ep],
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
          updating={batchStale}
          moeLayers={moeLayers}
          playing={playing}
          setPlaying={setPlaying}
        />
        {current && layerStep && layer && shown.loads ? (
          <>
            {layerStep.tokensPerDevice < scenario.routing.tokensPerDevice ? (
              <p className="chart__note">
                Each source device routes the step’s own {formatInput(layerStep.tokensPerDevice, 'tokens')}{' '}
                (⌈b/DP⌉ sequences of{' '}
                {scenario.workload.mode === 'decode'
                  ? 'one token in decode'
                  : formatInput(scenario.workload.seqLen, 'tokens')}
                ), fewer than the {formatInput(scenario.routing.tokensPerDevice, 'tokens')} the Simulated
                tokens setting would sample.
              </p>
            ) : null}
            {layerStep.devices < layerStep.devicesInScenario ? (
              <p className="chart__note">
                Simulating {layerStep.devices} of the scenario’s {layerStep.devicesInScenario} source devices
                ({layerStep.tokensPerDevice} tokens each); the others are statistically alike.
              </p>
            ) : null}
            {replicas ? (
              <ReplicaNote
                replicas={replicas}
                dp={layerStep.devicesInScenario}
                devices={layerStep.devices}
                capacity={layer.capacity}
              />
            ) : null}
            <MeasuredProfileNote scenario={scenario} experts={layerStep.experts} />
            <SharedExpertsNote scenario={scenario} />
            <div className="routing__charts">
              <div className={`routing__layer-charts${layerStale ? STALE : ''}`} aria-busy={layerStale}>
                <TokenFlow
                  preDropFlow={layer.preDropFlow}
                  keptFlow={layer.keptFlow}
                  devices={layerStep.devices}
                  experts={layerStep.experts}
                  animate={!reducedMotion}
                  seed={scenario.workload.seed}
                  label={`Token flow, MoE layer ${layerIndex}, batch ${layerStep.step}${replicas ? `, each expert’s ${replicas.simulatedGroups} replicas merged` : ''}`}
                />
                <ExpertLoadBars
                  loads={shown.loads}
                  previous={shown.previous}
                  capacityLine={layer.capacity * layerStep.devices}
                  capacityLabel={`${layerStep.devices} × C`}
                  capacityExplanation={
                    deviceLimit
                      ? `${layerStep.devices} × C: each expert’s share of the device-level limit, which caps a device’s experts together, so one expert may cross it`
                      : `capacity: C per source device, times the ${layerStep.devices} devices${summed}`
                  }
                  expertsPerDevice={deviceLimit ? layerStep.localExperts : undefined}
                  showAdded={expandedDropActive(routingInForce(scenario))}
                  meanLoad={meanLoad}
                  reducedMotion={reducedMotion}
                  label={`Tokens per expert, MoE layer ${layerIndex} (all ${layerStep.devices} devices${summed})`}
                />
              </div>
              <div className={`routing__batch-charts${batchStale ? STALE : ''}`} aria-busy={batchStale}>
                <LoadHeatmap
                  layers={preDropLoads}
                  meanLoad={batchMeanLoad}
                  focusLayer={batchLayerIndex}
                  onSelectLayer={(selected) => setField('routing.layer', selected)}
                  label="Load per expert in every MoE layer, before the capacity limit"
                />
              </div>
            </div>
            <div className="metric-groups routing__metric-groups">
              <section
                className={`metric-group routing__metrics${layerStale ? STALE : ''}`}
                aria-labelledby="routing-layer-metrics"
                aria-busy={layerStale}
              >
                <h3 id="routing-layer-metrics">
                  MoE layer {layerIndex}, batch {layerStep.step}
                </h3>
                {metrics.map((metric) => (
                  <MetricView key={metric.id} metric={metric} emphasis={EMPHASISED.has(metric.id)} />
                ))}
              </section>
              {batchMetrics.length > 0 ? (
                <section
                  className={`metric-group routing__batch-metrics${batchStale ? STALE : ''}`}
                  aria-labelledby="routing-batch-metrics"
                  aria-busy={batchStale}
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
