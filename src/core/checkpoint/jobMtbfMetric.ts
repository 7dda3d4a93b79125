import {
  LLAMA3_FAILURES_SOURCE,
  LLAMA3_GPU_MTBF_HOURS,
  LLAMA3_GPUS,
  LLAMA3_SNAPSHOT_DAYS,
  LLAMA3_UNEXPECTED_INTERRUPTIONS,
} from '../catalog/failureRates';
import { formatInput, formatValue } from '../format';
import { input, type Metric } from '../metric';
import { worldSize } from '../scenario/resolve';
import type { Scenario } from '../scenario/types';
import type { CheckpointCostBreakdown } from './costs';
import { jobMtbfHours } from './jobMtbf';
import { MOC_SOURCE } from './sizes';

/**
 * A per-GPU MTBF below this share of Llama 3's is flagged: GPUs failing more than ten times as often as in a
 * production run on 16,384 GPUs, which a reader should know before taking the fault figures as typical.
 */
const FLAG_BELOW_SHARE_OF_LLAMA3 = 0.1;

/** Iterations between the faults MoC-System injects in its accuracy runs (MoC §6, Table 3; papers.md §1.10). */
const MOC_INJECTED_FAULT_EVERY_ITERATIONS = 2000;

/** "50,677 GPU-hours": whole hours of one GPU, with separators. */
function gpuHoursText(hours: number): string {
  return `${formatInput(hours, '')} GPU-hours`;
}

/** "1,611 iterations": whole from a hundred up, where the fraction is noise; "0.3781 iterations" below. */
function iterationsText(iterations: number): string {
  return formatInput(iterations >= 100 ? Math.round(iterations) : iterations, 'iterations');
}

/** Llama 3's figure in words, with what it was counted from. */
const LLAMA3_IN_WORDS =
  `Llama 3’s pre-training saw one unexpected interruption per ${gpuHoursText(LLAMA3_GPU_MTBF_HOURS)} ` +
  `(${LLAMA3_UNEXPECTED_INTERRUPTIONS} in ${LLAMA3_SNAPSHOT_DAYS} days on ${formatInput(LLAMA3_GPUS, '')} H100 GPUs)`;

/** A per-GPU failure rate against Llama 3's, `timesLlama3` times it. */
function againstLlama3(timesLlama3: number): string {
  if (Math.abs(timesLlama3 - 1) < 0.005) return 'GPUs here fail as often as in Llama 3’s training';
  return timesLlama3 > 1
    ? `GPUs here fail ${formatValue(timesLlama3, '×')} as often as in Llama 3’s training`
    : `GPUs here fail ${formatValue(1 / timesLlama3, '×')} less often than in Llama 3’s training`;
}

/**
 * MTBF_job: how often the whole job fails, the figure every fault model reads (jobMtbf.ts), with the per-GPU MTBF it
 * amounts to compared with Llama 3's. Given per GPU, MTBF_job = MTBF_GPU / G; given for the job, it is the value set,
 * and MTBF_job · G is the per-GPU MTBF that gives it on this many GPUs. Flagged when GPUs fail more than ten times as
 * often as in Llama 3's training (the default, 24 h on 8 GPUs, does: a fault-injection experiment's rate).
 */
export function jobMtbfMetric(scenario: Scenario, detail: CheckpointCostBreakdown): Metric {
  const settings = scenario.checkpoint;
  const gpus = worldSize(scenario);
  const jobHours = jobMtbfHours(scenario);
  const perGpu = settings.failureScope === 'gpu';
  // Given for the job, the per-GPU MTBF it implies: G independent GPUs at 1/MTBF_GPU each fail at G/MTBF_GPU (derived).
  const gpuHours = perGpu ? settings.gpuMtbfHours : jobHours * gpus;
  // Failure rates are inverse MTBFs: how many times Llama 3's rate per GPU this is.
  const timesLlama3 = LLAMA3_GPU_MTBF_HOURS / gpuHours;
  const flagged = gpuHours < FLAG_BELOW_SHARE_OF_LLAMA3 * LLAMA3_GPU_MTBF_HOURS;
  // Iterations between faults, MTBF_job / T_F&B, to set beside the rate MoC's experiments inject.
  const iterationsBetweenFaults = (jobHours * 3600) / detail.costs.iterationSeconds;
  const G = input('G', 'GPUs in the job (D_dp · D_tp)', gpus, 'GPUs');
  const llama3 = input(
    'MTBF_GPU,Llama 3',
    'Llama 3’s GPU-hours per unexpected interruption',
    LLAMA3_GPU_MTBF_HOURS,
    'hours',
  );
  const comparison = `${LLAMA3_IN_WORDS}; ${againstLlama3(timesLlama3)}.`;
  const injected = flagged
    ? ` A fault comes every ${iterationsText(iterationsBetweenFaults)} on average (MTBF_job / T_F&B), the rate ` +
      `of a fault-injection experiment rather than of production: MoC-System’s ` +
      `accuracy runs inject one every ${formatInput(MOC_INJECTED_FAULT_EVERY_ITERATIONS, 'iterations')} ` +
      `(MoC §6, Table 3).`
    : '';
  const spread =
    gpus === 1
      ? `The job’s one GPU fails on average every ${formatInput(gpuHours, 'hours')}, and so does the job.`
      : `Each of the ${formatInput(gpus, 'GPUs')} fails on average every ${formatInput(gpuHours, 'hours')}, and ` +
        `the job stops at the first failure of any, so it fails ${formatInput(gpus, '')} times as often as one ` +
        `GPU: every ` +
        `${formatInput(jobHours, 'hours')}.`;
  const note = perGpu
    ? `${spread} ${comparison}${injected}`
    : `Given for the whole job: on ${formatInput(gpus, 'GPUs')} that is one failure per ${gpuHoursText(gpuHours)} ` +
      `(MTBF_job · G). ${comparison}${injected} A bigger job keeps the same job MTBF here, so with more GPUs, ` +
      `finishing sooner, it sees fewer faults; switch “Failure rate given” to per GPU to make failures grow with ` +
      `the cluster.`;
  return {
    id: 'checkpoint.jobMtbf',
    label: 'Job MTBF',
    value: jobHours,
    unit: 'hours',
    formula: perGpu
      ? 'MTBF_job = MTBF_GPU / G'
      : 'MTBF_job as set for the whole job; per GPU it is MTBF_GPU = MTBF_job · G',
    inputs: perGpu
      ? [input('MTBF_GPU', 'mean time between failures of one GPU', gpuHours, 'hours'), G, llama3]
      : [
          input('MTBF_job', 'mean time between failures of the job, as set', jobHours, 'hours'),
          G,
          input('MTBF_GPU', 'the per-GPU MTBF it implies, MTBF_job · G', gpuHours, 'hours'),
          llama3,
        ],
    source:
      `${MOC_SOURCE}, Eq. 11 (constant failure rate λ = T_F&B / MTBF_job); MTBF_job = MTBF_GPU / G for G ` +
      `independent GPUs, the job stopping at the first (derived); ${LLAMA3_FAILURES_SOURCE}`,
    note,
    ...(flagged ? { flag: `${formatValue(timesLlama3, '×')} Llama 3’s failure rate per GPU` } : {}),
  };
}
