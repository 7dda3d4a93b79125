import { type Scenario } from '../core';
import { checkpointCosts } from '../core/checkpoint/costs';
import { simulateRun } from '../core/checkpoint/run';
import type { CheckpointRun } from '../core/checkpoint/runTypes';
import type { WorkerRequest, WorkerResponse } from './workerClient';

export interface CheckpointRequest extends WorkerRequest {
  scenario: Scenario;
  customLoads: number[][] | null;
}

export type CheckpointResponse = WorkerResponse<CheckpointRun>;

/** The checkpoint worker's handler as a pure function (tested in Node; run synchronously where there is no Worker). */
export function handleCheckpointRequest(request: CheckpointRequest): CheckpointResponse {
  try {
    const run = simulateRun(request.scenario, checkpointCosts(request.scenario), {
      customLoads: request.customLoads,
    });
    return { id: request.id, result: run };
  } catch (error) {
    return { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
}
