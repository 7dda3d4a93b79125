import {
  countParameters,
  MAX_SIMULATED_DEVICES,
  resolveArchitecture,
  routeStep,
  type Metric,
  type RoutingStep,
  type Scenario,
} from '../core';
import { olmoeReferenceDropFractions } from '../core/routing/dropCalibration';
import { routingSummaryMetrics } from '../core/routing/summaryMetrics';
import type { WorkerRequest, WorkerResponse } from './workerClient';

export interface RoutingRequest extends WorkerRequest {
  scenario: Scenario;
  step: number;
  customLoads: number[][] | null;
  /** The MoE layers this worker routes (its share of the batch); all of them when absent. */
  layers?: number[];
}

/** A routed batch, and its figures over every MoE layer (pooled from the layers' counts, a few milliseconds). */
export interface RoutedBatch {
  step: RoutingStep;
  batchMetrics: Metric[];
}

export type RoutingResponse = WorkerResponse<RoutingStep>;

/**
 * The routing worker's message handler as a pure function: the worker only forwards messages to it, so Node tests
 * (which have no Worker) exercise the same code. Errors come back as messages, never as an uncaught exception.
 */
export function handleRoutingRequest(request: RoutingRequest): RoutingResponse {
  try {
    const step = routeStep(request.scenario, request.step, {
      customLoads: request.customLoads,
      ...(request.layers ? { layers: request.layers } : {}),
    });
    // The accuracy estimate's reference, worked out here (once per worker, ~30 ms warm) rather than on the page,
    // where the routing code is cold and routing it would stall the first frame.
    return { id: request.id, result: { ...step, dropReference: olmoeReferenceDropFractions() } };
  } catch (error) {
    return { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Scores a batch draws (devices × tokens × experts × MoE layers) above which the layer shown is routed first, on its
 * own: 2^24 draws take about a quarter of a second (DeepSeek-V3's own router, 4.2 M draws a layer in ~50 ms, bench).
 * DeepSeek-V3 by default draws 122 M (1.4 s) and at DP = 64 nearly 1 G (10 s); Mixtral's 2 M need no preview.
 */
export const PREVIEW_ABOVE_DRAWS = 2 ** 24;

/** Whether the batch takes long enough to route that its layer shown should come first (routingClient.ts). */
export function worthPreviewing(scenario: Scenario): boolean {
  const { moeLayers } = countParameters(resolveArchitecture(scenario));
  if (moeLayers <= 1) return false;
  const devices = Math.min(scenario.parallelism.dp, MAX_SIMULATED_DEVICES);
  const draws =
    devices * scenario.routing.tokensPerDevice * resolveArchitecture(scenario).experts * moeLayers;
  return draws > PREVIEW_ABOVE_DRAWS;
}

/**
 * Splits the MoE layers 0…layers−1 into at most `parts` contiguous runs of near-equal length, one per routing worker
 * (every layer costs the same to route). Never returns an empty run.
 */
export function splitLayers(layers: number, parts: number): number[][] {
  const runs = Math.max(1, Math.min(parts, layers));
  return Array.from({ length: runs }, (_, run) => {
    const from = Math.floor((run * layers) / runs);
    const to = Math.floor(((run + 1) * layers) / runs);
    return Array.from({ length: to - from }, (_, offset) => from + offset);
  });
}

/**
 * Joins the workers' shares of a batch, given in layer order, into the batch routeStep gives for every layer (each
 * layer's routing depends only on the scenario, the batch and the layer), with its figures over every MoE layer.
 */
export function joinRoutedParts(scenario: Scenario, parts: readonly RoutingStep[]): RoutedBatch {
  const [first] = parts;
  if (!first) throw new Error('a routed batch needs at least one part');
  const step: RoutingStep = { ...first, layers: parts.flatMap((part) => part.layers) };
  const batchMetrics = step.layers.length > 1 ? routingSummaryMetrics(scenario, step) : [];
  return { step, batchMetrics };
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
