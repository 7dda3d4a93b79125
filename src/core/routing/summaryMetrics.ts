import { input, type Metric } from '../metric';
import type { Scenario } from '../scenario/types';
import {
  addedPairsMetric,
  droppedFractionMetric,
  droppedPairsMetric,
  tokensWithNoExpertMetric,
} from './dropMetrics';
import { chanceOverflowOf } from './chanceOverflow';
import { droppedGateWeightMetric, keptGateWeightMetric } from './gateWeightMetrics';
import { referenceOf, routingMetrics } from './metrics';
import { estimateQualityCost } from './qualityCost';
import { emptyLayer } from './metricSupport';
import { routingInForce } from './inForce';
import type { LayerRouting, RoutingStep } from './types';

/** One per-layer metric summarised over the routed layers: the mean (or the worst, for bounds), with the spread. */
function overLayers(perLayer: readonly Metric[], how: 'mean' | 'max'): Metric {
  const first = perLayer[0];
  if (!first) throw new Error('overLayers needs at least one layer');
  const values = perLayer.map((metric) => metric.value);
  const lowest = Math.min(...values);
  const highest = Math.max(...values);
  const value = how === 'max' ? highest : values.reduce((sum, item) => sum + item, 0) / values.length;
  return {
    ...first,
    label: `${first.label}, ${how === 'max' ? 'worst' : 'mean'} of ${values.length} layers`,
    value,
    formula: `${how === 'max' ? 'max' : 'mean'} over layers ℓ of [${first.formula}]`,
    inputs: [
      input('L', 'routed MoE layers', values.length, 'layers'),
      input('min_ℓ', 'lowest layer value', lowest, first.unit),
      input('max_ℓ', 'highest layer value', highest, first.unit),
    ],
  };
}

/** Sums the pair and token counts of every routed layer, so pooled fractions weigh each pair once. */
function pooledLayer(step: RoutingStep): LayerRouting {
  const pooled = emptyLayer(step.experts);
  for (const layer of step.layers) {
    pooled.overflowPairs += layer.overflowPairs;
    pooled.routedPairs += layer.routedPairs;
    pooled.keptPairs += layer.keptPairs;
    pooled.droppedPairs += layer.droppedPairs;
    pooled.addedPairs += layer.addedPairs;
    pooled.tokensWithNoExpert += layer.tokensWithNoExpert;
    pooled.tokens += layer.tokens;
    pooled.routedGateWeight += layer.routedGateWeight;
    pooled.keptGateWeight += layer.keptGateWeight;
    pooled.droppedGateWeight += layer.droppedGateWeight;
  }
  return pooled;
}

function pooledOverLayers(metric: Metric, layers: number): Metric {
  return {
    ...metric,
    label: `${metric.label}, all ${layers} layers`,
    formula: `${metric.formula}, counts summed over layers`,
  };
}

/**
 * The same figures for the whole batch: fractions pool every routed layer's pairs (for token choice every layer
 * routes the same t·k pairs, so the pooled DT is the mean DT), imbalance and losses are averaged over layers, and
 * the capacity bound shows the worst layer.
 */
export function routingSummaryMetrics(requested: Scenario, step: RoutingStep): Metric[] {
  return batchFigures(routingInForce(requested), step).map((metric) => ({
    ...metric,
    id: batchMetricId(metric.id),
  }));
}

/** A whole-batch figure's id: the per-layer figure's, under routing.batch (routing.droppedFraction → routing.batch.droppedFraction). */
export function batchMetricId(layerMetricId: string): string {
  return layerMetricId.replace(/^routing\./, 'routing.batch.');
}

function batchFigures(scenario: Scenario, step: RoutingStep): Metric[] {
  if (step.layers.length === 0) return routingMetrics(scenario, step, 0);
  const perLayer = step.layers.map((_, layer) => routingMetrics(scenario, step, layer));
  const layerCount = step.layers.length;
  const pooled = pooledLayer(step);
  const byId = (id: string) =>
    perLayer.map((metrics) => metrics.find((metric) => metric.id === id) as Metric);
  const first = perLayer[0] ?? [];
  return first.map((metric) => {
    switch (metric.id) {
      case 'routing.maxOverMean':
      case 'routing.keptMaxOverMean':
      case 'routing.cv':
      case 'routing.auxLoss':
      case 'routing.zLoss':
        return overLayers(byId(metric.id), 'mean');
      case 'routing.maxDeviceLoadOverCapacity':
        return overLayers(byId(metric.id), 'max');
      case 'routing.droppedFraction':
        return pooledOverLayers(
          droppedFractionMetric(scenario, pooled, chanceOverflowOf(scenario, step)?.inflates ?? false),
          layerCount,
        );
      case 'routing.droppedPairsFraction':
        return pooledOverLayers(droppedPairsMetric(pooled), layerCount);
      case 'routing.tokensWithNoExpert':
        return pooledOverLayers(tokensWithNoExpertMetric(pooled), layerCount);
      case 'routing.addedPairs':
        return pooledOverLayers(addedPairsMetric(pooled), layerCount);
      case 'routing.droppedGateWeight':
        return pooledOverLayers(droppedGateWeightMetric(scenario, pooled), layerCount);
      case 'routing.keptGateWeight':
        return pooledOverLayers(keptGateWeightMetric(scenario, pooled), layerCount);
      case 'routing.qualityCost':
        return estimateQualityCost(scenario.routing, pooled, scenario.workload.mode, referenceOf(step));
      default:
        // N̄ and C are the same for every layer.
        return metric;
    }
  });
}
