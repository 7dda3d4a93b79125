import { describe, expect, it } from 'vitest';
import {
  createWorkerClient,
  type WorkerLike,
  type WorkerRequest,
  type WorkerResponse,
} from '../../src/state/workerClient';

interface Doubled extends WorkerRequest {
  value: number;
}

/** A stand-in worker: records what it was sent and answers only when the test says so. */
class FakeWorker implements WorkerLike {
  posted: Doubled[] = [];
  terminated = false;
  onmessage: Worker['onmessage'] = null;
  onerror: Worker['onerror'] = null;
  postMessage(message: unknown) {
    this.posted.push(message as Doubled);
  }
  terminate() {
    this.terminated = true;
  }
  answer(response: WorkerResponse<number>) {
    this.onmessage?.call(this as unknown as Worker, { data: response } as MessageEvent);
  }
  crash(message: string) {
    const event = { message, preventDefault: () => undefined } as ErrorEvent;
    this.onerror?.call(this as unknown as Worker, event);
  }
}

function harness() {
  const workers: FakeWorker[] = [];
  const client = createWorkerClient<{ value: number }, number>(
    () => {
      const worker = new FakeWorker();
      workers.push(worker);
      return worker;
    },
    (request) => ({ id: request.id, result: request.value * 2 }),
    true,
  );
  const lastPosted = () => workers.at(-1)?.posted.at(-1);
  return { client, workers, lastPosted };
}

/** Lets the promise callbacks queued so far run. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the simulation worker client', () => {
  it('runs one request at a time and, of those that arrive meanwhile, only the newest', async () => {
    const { client, workers } = harness();
    const first = client.run({ value: 1 });
    const second = client.run({ value: 2 });
    const third = client.run({ value: 3 });
    const worker = workers[0]!;
    expect(worker.posted.map((request) => request.value)).toEqual([1]);
    // The second was replaced while it waited: it resolves to null and is never sent.
    await expect(second).resolves.toBeNull();
    worker.answer({ id: worker.posted[0]!.id, result: 2 });
    // The first finished but is no longer the newest, so its answer is dropped; the third goes out.
    await expect(first).resolves.toBeNull();
    expect(worker.posted.map((request) => request.value)).toEqual([1, 3]);
    worker.answer({ id: worker.posted[1]!.id, result: 6 });
    await expect(third).resolves.toBe(6);
  });

  it('sends a request at once when the worker is idle, and passes errors on', async () => {
    const { client, workers, lastPosted } = harness();
    const answered = client.run({ value: 4 });
    workers[0]!.answer({ id: lastPosted()!.id, result: 8 });
    await expect(answered).resolves.toBe(8);
    const failed = client.run({ value: 5 });
    expect(lastPosted()?.value).toBe(5);
    workers[0]!.answer({ id: lastPosted()!.id, error: 'no such model' });
    await expect(failed).rejects.toThrow('no such model');
  });

  it('reports a worker that stops, and starts a fresh one for the next request', async () => {
    const { client, workers, lastPosted } = harness();
    const running = client.run({ value: 1 });
    const waiting = client.run({ value: 2 });
    workers[0]!.crash('out of memory');
    await expect(running).resolves.toBeNull();
    await expect(waiting).rejects.toThrow('the simulation worker stopped (out of memory)');
    expect(workers[0]!.terminated).toBe(true);
    expect(workers).toHaveLength(1); // not respawned until asked: a worker that never loads must not loop
    const next = client.run({ value: 3 });
    expect(workers).toHaveLength(2);
    workers[1]!.answer({ id: lastPosted()!.id, result: 6 });
    await expect(next).resolves.toBe(6);
  });

  it('falls back to the main thread where a worker may not start, and reports one that fails to restart', async () => {
    const blocked = createWorkerClient<{ value: number }, number>(
      () => {
        throw new Error('blocked by Content-Security-Policy');
      },
      (request) => ({ id: request.id, result: request.value * 2 }),
      true,
    );
    await expect(blocked.run({ value: 5 })).resolves.toBe(10);

    let made = 0;
    const workers: FakeWorker[] = [];
    const flaky = createWorkerClient<{ value: number }, number>(
      () => {
        made += 1;
        if (made > 1) throw new Error('no more workers');
        const worker = new FakeWorker();
        workers.push(worker);
        return worker;
      },
      (request) => ({ id: request.id, result: request.value * 2 }),
      true,
    );
    const lost = flaky.run({ value: 1 });
    workers[0]!.crash('killed');
    await expect(lost).rejects.toThrow('the simulation worker stopped (killed)');
    await expect(flaky.run({ value: 2 })).rejects.toThrow(
      'the simulation worker could not start (Error: no more workers)',
    );
  });

  it('runs the same handler synchronously where there are no workers', async () => {
    let made = 0;
    const client = createWorkerClient<{ value: number }, number>(
      () => {
        made += 1;
        return new FakeWorker();
      },
      (request) => ({ id: request.id, result: request.value * 2 }),
      false,
    );
    await expect(client.run({ value: 21 })).resolves.toBe(42);
    await settled();
    expect(made).toBe(0);
  });
});
