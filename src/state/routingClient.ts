import { countParameters, resolveArchitecture, type RoutingStep, type Scenario } from '../core';
import {
  handleRoutingRequest,
  joinRoutedParts,
  splitLayers,
  type RoutedBatch,
  type RoutingRequest,
} from './routingRequest';
import { createWorkerClient, type WorkerClient } from './workerClient';

export interface RoutingClient {
  /** Routes a batch; a newer request supersedes an older one still running (its promise resolves to null). */
  route: (scenario: Scenario, step: number, customLoads: number[][] | null) => Promise<RoutedBatch | null>;
  /**
   * Routes one MoE layer of the batch on a worker of its own, beside the batch: the layer shown, which then appears
   * in a fraction of the batch's time. The step's `layers` holds that one layer. Latest-wins, as `route`.
   */
  routeLayer?: (
    scenario: Scenario,
    step: number,
    customLoads: number[][] | null,
    layer: number,
  ) => Promise<RoutingStep | null>;
  dispose: () => void;
}

/** Routing workers to start: one core stays free for the page and its animation; more than four gains little. */
export function routingWorkerCount(hardwareConcurrency: number | undefined, hasWorkers: boolean): number {
  if (!hasWorkers) return 1;
  return Math.max(1, Math.min(4, (hardwareConcurrency ?? 1) - 1));
}

/**
 * Routing runs in a pool of Web Workers, each routing a contiguous share of the MoE layers (a DeepSeek-V3 batch is 58
 * layers, about a second on one core); the shares are joined in layer order, so the batch is the one routeStep gives.
 * The first worker takes part in every request, so a request superseded anywhere is superseded there and resolves to
 * null as a whole. Where there is no Worker (jsdom) one synchronous client runs the same handler. A large batch's
 * layer shown is also routed alone on one more worker (`routeLayer`), so its bars and figures come first.
 */
export function createRoutingClient(
  workers = routingWorkerCount(
    typeof navigator === 'undefined' ? undefined : navigator.hardwareConcurrency,
    typeof Worker !== 'undefined',
  ),
): RoutingClient {
  const makeClient = () =>
    createWorkerClient<Omit<RoutingRequest, 'id'>, RoutingStep>(
      () => new Worker(new URL('./routingWorker.ts', import.meta.url), { type: 'module' }),
      handleRoutingRequest,
    );
  const clients: WorkerClient<Omit<RoutingRequest, 'id'>, RoutingStep>[] = Array.from(
    { length: workers },
    makeClient,
  );
  // Started on the first large batch only: a model that routes in a blink never needs it.
  let layerClient: WorkerClient<Omit<RoutingRequest, 'id'>, RoutingStep> | null = null;
  return {
    route: async (scenario, step, customLoads) => {
      const moeLayers = Math.max(1, countParameters(resolveArchitecture(scenario)).moeLayers);
      const shares = splitLayers(moeLayers, clients.length);
      const parts = await Promise.all(
        shares.map((layers, index) => clients[index]!.run({ scenario, step, customLoads, layers })),
      );
      if (parts.some((part) => part === null)) return null;
      return joinRoutedParts(scenario, parts as RoutingStep[]);
    },
    routeLayer: (scenario, step, customLoads, layer) => {
      layerClient ??= makeClient();
      return layerClient.run({ scenario, step, customLoads, layers: [layer] });
    },
    dispose: () => {
      for (const client of clients) client.dispose();
      layerClient?.dispose();
    },
  };
}
