import { routeStep, summaryMetrics } from '../core';
import type { Metric } from '../core/metric';
import type { Scenario } from '../core/scenario/types';
import { checkpointCosts } from '../core/checkpoint/costs';
import { checkpointMetrics } from '../core/checkpoint/metrics';
import { simulateRun } from '../core/checkpoint/run';
import { runMetrics } from '../core/checkpoint/runMetrics';
import type { CheckpointRun } from '../core/checkpoint/runTypes';
import { routingMetrics } from '../core/routing/metrics';
import { routingSummaryMetrics } from '../core/routing/summaryMetrics';

/** Every figure the app's tabs show for a scenario, and the Checkpointing run they came from. */
export interface ScenarioFigures {
  metrics: Metric[];
  run: CheckpointRun;
}

/**
 * The Summary, Routing and Checkpointing tabs' metrics, computed exactly as the browser's workers do. Routing: the
 * layer shown (routing only that layer gives its counts in the whole batch), or with `allLayers` every layer and the
 * whole batch's figures. Checkpointing: the per-checkpoint model, then the simulated run with its faults.
 */
export function scenarioFigures(scenario: Scenario, allLayers: boolean): ScenarioFigures {
  const routed = allLayers
    ? routeStep(scenario, scenario.routing.batch)
    : routeStep(scenario, scenario.routing.batch, { layers: [scenario.routing.layer] });
  const layerShown = allLayers ? Math.min(scenario.routing.layer, routed.layers.length - 1) : 0;
  const run = simulateRun(scenario, checkpointCosts(scenario));
  const metrics = [
    ...summaryMetrics(scenario),
    ...routingMetrics(scenario, routed, layerShown),
    ...(allLayers && routed.layers.length > 1 ? routingSummaryMetrics(scenario, routed) : []),
    ...checkpointMetrics(scenario),
    ...runMetrics(run, scenario.checkpoint),
  ];
  return { metrics, run };
}
