/// <reference lib="webworker" />
import { handleCheckpointRequest, type CheckpointRequest } from './checkpointRequest';

// A long run of a large model with faults takes up to a few hundred milliseconds: it runs here, off the main thread.
self.onmessage = (event: MessageEvent<CheckpointRequest>) => {
  (self as unknown as DedicatedWorkerGlobalScope).postMessage(handleCheckpointRequest(event.data));
};
