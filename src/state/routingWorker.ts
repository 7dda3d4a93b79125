/// <reference lib="webworker" />
import { handleRoutingRequest, transferablesOf, type RoutingRequest } from './routingRequest';

// Routing a batch through every MoE layer of a large model takes up to a second: it runs here, off the main thread.
self.onmessage = (event: MessageEvent<RoutingRequest>) => {
  const response = handleRoutingRequest(event.data);
  (self as unknown as DedicatedWorkerGlobalScope).postMessage(response, transferablesOf(response));
};
