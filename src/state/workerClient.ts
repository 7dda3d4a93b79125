/** A request to a simulation worker: an id, so answers can be matched and stale ones dropped. */
export interface WorkerRequest {
  id: number;
}

export interface WorkerResponse<Result> {
  id: number;
  result?: Result;
  error?: string;
}

export interface WorkerClient<Payload, Result> {
  /** Runs a request; a newer one supersedes an older one still running (the older resolves to null). */
  run: (payload: Payload) => Promise<Result | null>;
  dispose: () => void;
}

/**
 * A latest-wins client for a simulation worker. Where the platform has no Worker (jsdom in component tests) it runs
 * the same pure handler synchronously, so the tested code is the code the worker runs.
 */
export function createWorkerClient<Payload, Result>(
  makeWorker: () => Worker,
  handle: (request: Payload & WorkerRequest) => WorkerResponse<Result>,
): WorkerClient<Payload, Result> {
  let nextId = 1;
  let latestId = 0;
  const pending = new Map<number, (response: WorkerResponse<Result>) => void>();
  let worker: Worker | null = null;
  if (typeof Worker !== 'undefined') {
    worker = makeWorker();
    worker.onmessage = (event: MessageEvent<WorkerResponse<Result>>) => {
      const resolve = pending.get(event.data.id);
      pending.delete(event.data.id);
      resolve?.(event.data);
    };
  }
  return {
    run: async (payload) => {
      const request = { ...payload, id: nextId++ };
      latestId = request.id;
      const response = worker
        ? await new Promise<WorkerResponse<Result>>((resolve) => {
            pending.set(request.id, resolve);
            worker?.postMessage(request);
          })
        : handle(request);
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
