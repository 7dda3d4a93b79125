import { routeStep, type Metric, type RoutingStep, type Scenario } from '../core';
import { routingSummaryMetrics } from '../core/routing/summaryMetrics';
import type { WorkerRequest, WorkerResponse } from './workerClient';

export interface RoutingRequest extends WorkerRequest {
  scenario: Scenario;
  step: number;
  customLoads: number[][] | null;
}

/** A routed batch, and its figures over every MoE layer (computed here, off the main thread). */
export interface RoutedBatch {
  step: RoutingStep;
  batchMetrics: Metric[];
}

export type RoutingResponse = WorkerResponse<RoutedBatch>;

/**
 * The routing worker's message handler as a pure function: the worker only forwards messages to it, so Node tests
 * (which have no Worker) exercise the same code. Errors come back as messages, never as an uncaught exception.
 */
export function handleRoutingRequest(request: RoutingRequest): RoutingResponse {
  try {
    const step = routeStep(request.scenario, request.step, { customLoads: request.customLoads });
    const batchMetrics = step.layers.length > 1 ? routingSummaryMetrics(request.scenario, step) : [];
    return { id: request.id, result: { step, batchMetrics } };
  } catch (error) {
    return { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
}

/** The typed arrays of a result, handed to postMessage as transferables so nothing is copied. */
export function transferablesOf(response: RoutingResponse): ArrayBuffer[] {
  if (!response.result) return [];
  return response.result.step.layers.flatMap((layer) =>
    [layer.preDropLoad, layer.keptLoad, layer.preDropFlow, layer.keptFlow].map(
      (array) => array.buffer as ArrayBuffer,
    ),
  );
}
