import { routeStep, type RoutingStep, type Scenario } from '../core';
import type { WorkerRequest, WorkerResponse } from './workerClient';

export interface RoutingRequest extends WorkerRequest {
  scenario: Scenario;
  step: number;
  customLoads: number[][] | null;
}

export type RoutingResponse = WorkerResponse<RoutingStep>;

/**
 * The routing worker's message handler as a pure function: the worker only forwards messages to it, so Node tests
 * (which have no Worker) exercise the same code. Errors come back as messages, never as an uncaught exception.
 */
export function handleRoutingRequest(request: RoutingRequest): RoutingResponse {
  try {
    return {
      id: request.id,
      result: routeStep(request.scenario, request.step, { customLoads: request.customLoads }),
    };
  } catch (error) {
    return { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
}

/** The typed arrays of a result, handed to postMessage as transferables so nothing is copied. */
export function transferablesOf(response: RoutingResponse): ArrayBuffer[] {
  if (!response.result) return [];
  return response.result.layers.flatMap((layer) =>
    [layer.preDropLoad, layer.keptLoad, layer.preDropFlow, layer.keptFlow].map(
      (array) => array.buffer as ArrayBuffer,
    ),
  );
}
