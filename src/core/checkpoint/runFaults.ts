import { createRandom } from '../random';
import { deriveSeed } from '../routing/seeds';
import type { Scenario } from '../scenario/types';
import { jobMtbfHours } from './jobMtbf';
import type { ScheduledFault } from './runTypes';

/** Faults simulated at most; beyond this the run is reported as not completed. */
export const MAX_FAULTS = 20000;
/** Consecutive faults that all roll back to the same checkpoint: failures outpace progress, the run stops there. */
export const MAX_FAULTS_WITHOUT_PROGRESS = 1000;

/** The seeded fault process: exponential inter-arrival in wall time (constant failure rate, MoC Eq. 11). */
export function faultSource(
  scenario: Scenario,
  nodes: number,
  schedule: readonly ScheduledFault[] | undefined,
): () => ScheduledFault {
  if (schedule) {
    const sorted = [...schedule].sort((a, b) => a.seconds - b.seconds);
    let index = 0;
    return (): ScheduledFault => {
      const fault = sorted[index++];
      if (!fault) return { seconds: Number.POSITIVE_INFINITY, node: 0 };
      return {
        seconds: Math.max(0, fault.seconds),
        node: ((Math.floor(fault.node) % nodes) + nodes) % nodes,
      };
    };
  }
  const random = createRandom(deriveSeed(scenario.workload.seed, 0xfa017));
  // The job's MTBF, given for the job or per GPU (jobMtbf.ts), as the static overhead's λ reads it.
  const mean = jobMtbfHours(scenario) * 3600;
  let clock = 0;
  return (): ScheduledFault => {
    clock += random.exponential(mean);
    return { seconds: clock, node: random.int(nodes) };
  };
}
