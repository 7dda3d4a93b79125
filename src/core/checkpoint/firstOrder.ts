import { formatInput } from '../format';
import { faultsPerIteration } from './overhead';
import type { CheckpointCosts, CheckpointSettings } from './types';

/**
 * How far below 1 a "≪ 1" of the first-order model must be for its figures to be read as estimates: a tenth, so the
 * terms the expansion drops (a second fault inside one recovery, a fault before the first checkpoint) are about a
 * tenth of those it keeps.
 */
const SMALL = 0.1;

/** Why MoC Eq. 12's first-order overhead does not describe a setting, or nothing when it does. */
export interface FirstOrderLimits {
  /** λ·(O_restart/T_F&B + I_ckpt/2): faults expected while one fault is recovered and its lost work redone. */
  faultsPerRecovery: number;
  /** I_ckpt / I_total: the share of the run one checkpoint interval spans. */
  intervalShare: number;
  /** A short warning to show beside the figure; absent when both are small. */
  flag?: string;
  /** What broke and what to read instead; absent when both are small. */
  note?: string;
}

/**
 * MoC Eq. 11–13 count N_fault = λ·I_total faults, each costing O_restart plus I_ckpt/2 iterations, independently.
 * That is a first-order expansion: it holds while another fault is unlikely during one recovery and its redone work,
 * λ·(O_restart + I_ckpt/2·T_F&B) ≪ 1, and while the run spans many checkpoints, I_ckpt ≪ I_total. Past either, the
 * formula keeps counting (a 39,400% overhead when faults outpace progress; lost work of half an interval longer than
 * the run), so its figures are flagged rather than shown as estimates. λ comes from the job's MTBF (jobMtbf.ts).
 */
export function firstOrderLimits(
  costs: Pick<CheckpointCosts, 'iterationSeconds' | 'restartSeconds'>,
  settings: Pick<CheckpointSettings, 'totalIterations'>,
  intervalIterations: number,
  jobMtbfHours: number,
): FirstOrderLimits {
  const lambda = faultsPerIteration(costs.iterationSeconds, jobMtbfHours);
  // MoC Eq. 12's fault term per fault, in iterations: O_restart/T_F&B + I_ckpt/2; times λ, the faults expected in that span.
  const faultsPerRecovery = lambda * (costs.restartSeconds / costs.iterationSeconds + intervalIterations / 2);
  const intervalShare = intervalIterations / settings.totalIterations;
  const reasons: string[] = [];
  if (faultsPerRecovery > SMALL)
    reasons.push(
      `another fault is likely before one is recovered and its work redone (λ·(O_restart + I_ckpt/2·T_F&B) = ` +
        `${formatInput(faultsPerRecovery, '')} faults, where the model needs ≪ 1)`,
    );
  if (intervalShare > SMALL)
    reasons.push(
      `the interval, ${formatInput(intervalIterations, 'iterations')}, is not short against the run of ` +
        `${formatInput(settings.totalIterations, 'iterations')} (the model needs I_ckpt ≪ I_total)`,
    );
  if (reasons.length === 0) return { faultsPerRecovery, intervalShare };
  return {
    faultsPerRecovery,
    intervalShare,
    flag: 'outside the first-order model',
    note:
      `MoC Eq. 12 is a first-order estimate, and here ${reasons.join(', and ')}. The formula still gives a number, ` +
      `but not a meaningful one; the simulated run’s figures count faults as they happen.`,
  };
}
