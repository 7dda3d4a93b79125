import { memo } from 'react';
import type { Scenario } from '../../core';
import { LabControls, type ControlGroup } from '../common/LabControls';

const GROUPS: readonly ControlGroup[] = [
  {
    title: 'What and who',
    keys: [
      'checkpoint.optimizerBytesPerParam',
      'checkpoint.sharding',
      'checkpoint.pec',
      'checkpoint.expertsPerCheckpoint',
      'checkpoint.selection',
    ],
  },
  {
    title: 'How it is saved',
    keys: [
      'checkpoint.twoLevel',
      'checkpoint.expertsPersisted',
      'checkpoint.asynchronous',
      'checkpoint.intervalIterations',
    ],
  },
  {
    title: 'Faults over the run',
    keys: [
      'checkpoint.failureScope',
      'checkpoint.mtbfHours',
      'checkpoint.gpuMtbfHours',
      'checkpoint.restartMinutes',
      'checkpoint.totalIterations',
      'checkpoint.dynamicK',
      'checkpoint.pltThreshold',
    ],
  },
];

/**
 * Which checkpointing controls matter for the current settings: K and its selection only with PEC; of the two MTBFs,
 * the one the failure rate is given as.
 */
function relevant(key: string, scenario: Scenario): boolean {
  const settings = scenario.checkpoint;
  if (
    key === 'checkpoint.expertsPerCheckpoint' ||
    key === 'checkpoint.selection' ||
    key === 'checkpoint.dynamicK'
  )
    return settings.pec;
  if (key === 'checkpoint.expertsPersisted') return settings.twoLevel && settings.pec;
  if (key === 'checkpoint.mtbfHours') return settings.failureScope === 'job';
  if (key === 'checkpoint.gpuMtbfHours') return settings.failureScope === 'gpu';
  return true;
}

/** Every checkpointing setting, each with its one-line explanation and its source. */
// Memoised: it takes no props and reads the store itself, so the lab stepping its batch or iteration while playing
// does not re-render it.
export const CheckpointControls = memo(function CheckpointControls() {
  return <LabControls groups={GROUPS} relevant={relevant} />;
});
