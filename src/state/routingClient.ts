import type { Scenario } from '../core';
import { handleRoutingRequest, type RoutedBatch, type RoutingRequest } from './routingRequest';
import { createWorkerClient } from './workerClient';

export interface RoutingClient {
  /** Routes a batch; a newer request supersedes an older one still running (its promise resolves to null). */
  route: (scenario: Scenario, step: number, customLoads: number[][] | null) => Promise<RoutedBatch | null>;
  dispose: () => void;
}

/** Routing runs in its own Web Worker (synchronously where there is none, as in jsdom). */
export function createRoutingClient(): RoutingClient {
  const client = createWorkerClient<Omit<RoutingRequest, 'id'>, RoutedBatch>(
    () => new Worker(new URL('./routingWorker.ts', import.meta.url), { type: 'module' }),
    handleRoutingRequest,
  );
  return {
    route: (scenario, step, customLoads) => client.run({ scenario, step, customLoads }),
    dispose: client.dispose,
  };
}
