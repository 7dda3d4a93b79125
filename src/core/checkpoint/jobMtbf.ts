import { worldSize } from '../scenario/resolve';
import type { Scenario } from '../scenario/types';

/**
 * MTBF_job, hours: how long the whole job runs, on average, between failures; every fault model reads it (the static
 * overhead's λ, the first-order limits and the event-driven run's fault times). With the rate given for the job it is
 * the value set (`mtbfHours`), whatever the job's size. With it given per GPU it is MTBF_GPU / G, G = D_dp · D_tp the
 * job's GPUs: G GPUs failing independently at rate 1/MTBF_GPU each, and the job stops at the first.
 */
export function jobMtbfHours(scenario: Scenario): number {
  const settings = scenario.checkpoint;
  if (settings.failureScope === 'job') return settings.mtbfHours;
  // The minimum of G independent exponential lifetimes is exponential at the summed rate G/MTBF_GPU (derived).
  return settings.gpuMtbfHours / worldSize(scenario);
}
