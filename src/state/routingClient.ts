import type { RoutingStep, Scenario } from '../core';
import { handleRoutingRequest, type RoutingRequest, type RoutingResponse } from './routingRequest';

export interface RoutingClient {
  /** Routes a batch; a newer request supersedes an older one still running (its promise resolves to null). */
  route: (scenario: Scenario, step: number, customLoads: number[][] | null) => Promise<RoutingStep | null>;
  dispose: () => void;
}

/**
 * Runs routing in a Web Worker where the platform has one, and synchronously otherwise (jsdom in component tests,
 * where the handler is the same pure function). Only the latest request's answer is delivered.
 */
export function createRoutingClient(): RoutingClient {
  let nextId = 1;
  let latestId = 0;
  const pending = new Map<number, (response: RoutingResponse) => void>();
  let worker: Worker | null = null;
  if (typeof Worker !== 'undefined') {
    worker = new Worker(new URL('./routingWorker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<RoutingResponse>) => {
      const resolve = pending.get(event.data.id);
      pending.delete(event.data.id);
      resolve?.(event.data);
    };
  }
  return {
    route: async (scenario, step, customLoads) => {
      const request: RoutingRequest = { id: nextId++, scenario, step, customLoads };
      latestId = request.id;
      const response = worker
        ? await new Promise<RoutingResponse>((resolve) => {
            pending.set(request.id, resolve);
            worker?.postMessage(request);
          })
        : handleRoutingRequest(request);
      if (response.id !== latestId) return null;
      if (response.error !== undefined) throw new Error(response.error);
      return response.result ?? null;
    },
    dispose: () => {
      worker?.terminate();
      pending.clear();
    },
  };
}
