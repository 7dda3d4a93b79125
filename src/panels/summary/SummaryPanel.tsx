import { useMemo } from 'react';
import { countParameters, resolveArchitecture, resolveGpu, summaryMetrics, type Metric } from '../../core';
import { formatValue } from '../../core/format';
import { StackedBar } from '../../charts/StackedBar';
import { useAppState } from '../../state/AppStoreContext';
import { MetricView } from '../common/MetricView';

const GROUPS: readonly { title: string; ids: readonly string[] }[] = [
  {
    title: 'Model',
    ids: ['totalParams', 'activeParams', 'paramsPerExpert', 'attentionParamsPerLayer', 'flopsPerToken'],
  },
  {
    title: 'Memory',
    // The training figures are listed only in training (summaryMetrics leaves them out otherwise).
    ids: [
      'weightMemoryPerGpu',
      'weightMemoryFraction',
      'trainingStateMemoryPerGpu',
      'trainingStateMemoryFraction',
    ],
  },
  { title: 'Tokens', ids: ['tokensPerStep', 'tokensPerDevice', 'meanTokensPerExpert'] },
  { title: 'Cluster', ids: ['worldSize', 'nodes', 'expertsPerGpu'] },
];

export function SummaryPanel() {
  const scenario = useAppState((state) => state.scenario);
  const metrics = useMemo(() => summaryMetrics(scenario), [scenario]);
  const byId = new Map<string, Metric>(metrics.map((metric) => [metric.id, metric]));
  const breakdown = countParameters(resolveArchitecture(scenario)).breakdown;
  const memory = byId.get('weightMemoryPerGpu');
  const gpuMemoryBytes = resolveGpu(scenario).memGB * 1e9;
  const params = (value: number) => formatValue(value, 'params');
  return (
    <section className="panel" aria-labelledby="summary-heading">
      <h2 id="summary-heading">Scenario summary</h2>
      <p className="panel__lead">
        The model and hardware every lab builds on. Press any figure to see its formula, the values put into
        it and its source.
      </p>
      <div className="metric-groups">
        {GROUPS.map((group) => (
          <section key={group.title} className="metric-group" aria-label={group.title}>
            <h3>{group.title}</h3>
            {group.ids.map((id) => {
              const metric = byId.get(id);
              return metric ? (
                <MetricView key={id} metric={metric} emphasis={id === 'meanTokensPerExpert'} />
              ) : null;
            })}
          </section>
        ))}
      </div>
      <StackedBar
        title="Where the parameters are"
        segments={[
          {
            id: 'routed',
            label: 'Routed experts',
            value: breakdown.routedExperts,
            display: params(breakdown.routedExperts),
          },
          {
            id: 'attention',
            label: 'Attention',
            value: breakdown.attention,
            display: params(breakdown.attention),
          },
          {
            id: 'shared',
            label: 'Shared experts',
            value: breakdown.sharedExperts,
            display: params(breakdown.sharedExperts),
          },
          {
            id: 'dense',
            label: 'Dense FFNs',
            value: breakdown.denseFfn,
            display: params(breakdown.denseFfn),
          },
          {
            id: 'embeddings',
            label: 'Embeddings',
            value: breakdown.embeddings,
            display: params(breakdown.embeddings),
          },
          { id: 'routers', label: 'Routers', value: breakdown.routers, display: params(breakdown.routers) },
        ]}
      />
      {memory ? (
        <StackedBar
          title={`Weights per GPU against its ${formatValue(gpuMemoryBytes, 'B')}`}
          total={gpuMemoryBytes}
          segments={[
            { id: 'weights', label: 'Weights', value: memory.value, display: formatValue(memory.value, 'B') },
          ]}
        />
      ) : null}
      {memory && memory.value > gpuMemoryBytes ? (
        <p className="warning" role="note">
          The weights alone need {formatValue(memory.value, 'B')} per GPU, more than its{' '}
          {formatValue(gpuMemoryBytes, 'B')}: raise EP or TP, or use ZeRO-3.
        </p>
      ) : null}
    </section>
  );
}
