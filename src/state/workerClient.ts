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
  /** Runs a request; a newer one supersedes an older one (the older resolves to null). */
  run: (payload: Payload) => Promise<Result | null>;
  dispose: () => void;
}

/** The part of a Worker the client uses, so tests can stand in for one. */
export type WorkerLike = Pick<Worker, 'postMessage' | 'terminate' | 'onmessage' | 'onerror'>;

interface Waiting<Result> {
  request: WorkerRequest;
  settle: (response: WorkerResponse<Result>) => void;
}

/**
 * A latest-wins client for a simulation worker. At most one request runs in the worker and at most one waits: a
 * newer request replaces the waiting one, which resolves to null without being run. A batch of a large model takes
 * about a second to route, so five quick clicks on Step cost two batches' time, not five. Where the platform has no
 * Worker (jsdom in component tests), or may not start one, it runs the same pure handler synchronously, so the tested
 * code is the code the worker runs.
 */
export function createWorkerClient<Payload, Result>(
  makeWorker: () => WorkerLike,
  handle: (request: Payload & WorkerRequest) => WorkerResponse<Result>,
  hasWorkers: boolean = typeof Worker !== 'undefined',
): WorkerClient<Payload, Result> {
  let nextId = 1;
  let latestId = 0;
  let running: Waiting<Result> | null = null;
  let waiting: Waiting<Result> | null = null;
  let worker: WorkerLike | null = null;
  let useWorkers = hasWorkers;

  const start = (next: Waiting<Result>) => {
    running = next;
    try {
      worker ??= spawn();
      worker.postMessage(next.request);
    } catch (error) {
      running = null;
      next.settle({ id: next.request.id, error: `the simulation worker could not start (${String(error)})` });
    }
  };
  const finish = (response: WorkerResponse<Result>) => {
    const done = running;
    running = null;
    const queued = waiting;
    waiting = null;
    if (queued) start(queued);
    done?.settle(response);
  };
  // A worker that cannot load, or dies outside the handler (which catches everything it can), would leave the panel
  // waiting forever: both requests get the error, and a fresh worker takes the next request (not at once, so a
  // worker that can never load is not respawned in a loop).
  const fail = (event: ErrorEvent) => {
    event.preventDefault();
    const error = `the simulation worker stopped (${event.message || 'it could not be loaded'})`;
    const lost = [running, waiting];
    running = null;
    waiting = null;
    worker?.terminate();
    worker = null;
    for (const each of lost) each?.settle({ id: each.request.id, error });
  };
  function spawn(): WorkerLike {
    const fresh = makeWorker();
    fresh.onmessage = (event: MessageEvent<WorkerResponse<Result>>) => finish(event.data);
    fresh.onerror = fail;
    return fresh;
  }
  // A page that may not start workers (a strict Content-Security-Policy, say) still works: on the main thread.
  if (useWorkers) {
    try {
      worker = spawn();
    } catch {
      useWorkers = false;
    }
  }

  return {
    run: async (payload) => {
      const request = { ...payload, id: nextId++ };
      latestId = request.id;
      const response = useWorkers
        ? await new Promise<WorkerResponse<Result>>((settle) => {
            waiting?.settle({ id: waiting.request.id });
            waiting = null;
            if (running) waiting = { request, settle };
            else start({ request, settle });
          })
        : handle(request);
      if (response.id !== latestId) return null;
      if (response.error !== undefined) throw new Error(response.error);
      return response.result ?? null;
    },
    dispose: () => {
      worker?.terminate();
      running = null;
      waiting = null;
    },
  };
}
