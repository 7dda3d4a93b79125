import { useEffect, useEffectEvent, useRef, useState } from 'react';
import type { Scenario } from '../../core';
import type { CheckpointRun } from '../../core/checkpoint/runTypes';
import { handleCheckpointRequest, type CheckpointRequest } from '../../state/checkpointRequest';
import { createWorkerClient, type WorkerClient } from '../../state/workerClient';

export interface CheckpointRunState {
  run: CheckpointRun | null;
  computing: boolean;
  error: string | null;
}

function createCheckpointClient(): WorkerClient<Omit<CheckpointRequest, 'id'>, CheckpointRun> {
  return createWorkerClient<Omit<CheckpointRequest, 'id'>, CheckpointRun>(
    () => new Worker(new URL('../../state/checkpointWorker.ts', import.meta.url), { type: 'module' }),
    handleCheckpointRequest,
  );
}

/** Simulates the scenario's run in the checkpoint worker whenever the scenario changes; stale answers are dropped. */
export function useCheckpointRun(scenario: Scenario, customLoads: number[][] | null): CheckpointRunState {
  const clientRef = useRef<WorkerClient<Omit<CheckpointRequest, 'id'>, CheckpointRun> | null>(null);
  const [answer, setAnswer] = useState<{
    scenario: Scenario | null;
    run: CheckpointRun | null;
    error: string | null;
  }>({ scenario: null, run: null, error: null });

  useEffect(() => {
    const client = createCheckpointClient();
    clientRef.current = client;
    return () => {
      client.dispose();
      clientRef.current = null;
    };
  }, []);

  const simulate = useEffectEvent((isCancelled: () => boolean) => {
    const client = clientRef.current ?? createCheckpointClient();
    clientRef.current = client;
    const requested = scenario;
    client
      .run({ scenario: requested, customLoads })
      .then((run) => {
        if (!isCancelled() && run) setAnswer({ scenario: requested, run, error: null });
      })
      .catch((error: unknown) => {
        if (!isCancelled())
          setAnswer((previous) => ({
            ...previous,
            scenario: requested,
            error: error instanceof Error ? error.message : String(error),
          }));
      });
  });

  useEffect(() => {
    let cancelled = false;
    simulate(() => cancelled);
    return () => {
      cancelled = true;
    };
  }, [scenario, customLoads]);

  return { run: answer.run, computing: answer.scenario !== scenario, error: answer.error };
}
