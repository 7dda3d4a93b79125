import type { Scenario } from './types';

export type SectionId = 'model' | 'hardware' | 'parallelism' | 'workload' | 'routing' | 'checkpoint';

/** The sections of the scenario sidebar; each lab shows its own section's fields in its panel. */
export const SECTIONS: readonly { id: SectionId; label: string }[] = [
  { id: 'model', label: 'Model' },
  { id: 'hardware', label: 'Hardware' },
  { id: 'parallelism', label: 'Parallelism' },
  { id: 'workload', label: 'Workload' },
];

export interface FieldBase {
  /** The key in share links and on the command line (`--set key=value`). */
  key: string;
  section: SectionId;
  label: string;
  /** One line for the user: what it is and why it matters. */
  help: string;
  /** Path into the Scenario object. */
  path: readonly string[];
  /** Where the mechanism the field controls is described (paper and section). */
  source?: string;
  /**
   * Fields that refine a preset (model architecture, GPU spec) take their default from the chosen preset and are
   * stored only as overrides; `presetDefault` reads the preset's value.
   */
  presetDefault?: (scenario: Scenario) => number | boolean;
}

export interface NumericField extends FieldBase {
  kind: 'number' | 'integer';
  default: number;
  min: number;
  max: number;
  step: number;
  unit: string;
  /**
   * How people read and type the value, when that differs from how the scenario, links and the command line store
   * it: the input shows value × scale in `unit` (a PLT threshold stored as the fraction 0.0375 reads 3.75 %), and
   * "3.75 %" typed anywhere means 0.0375. A bare number in a link keeps the field's own unit, so old links mean what
   * they meant.
   */
  display?: { scale: number; unit: string };
}

export interface EnumField extends FieldBase {
  kind: 'enum';
  default: string;
  options: readonly { value: string; label: string }[];
}

export interface BooleanField extends FieldBase {
  kind: 'boolean';
  default: boolean;
}

export type Field = NumericField | EnumField | BooleanField;
