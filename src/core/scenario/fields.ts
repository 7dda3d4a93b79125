import { DEFAULTS, numeric } from './fieldBuilders';
import type { Field, NumericField } from './fieldTypes';
import { MODEL_FIELDS } from './modelFields';
import { HARDWARE_FIELDS } from './hardwareFields';
import { ROUTING_FIELDS } from './routingFields';
import { CHECKPOINT_FIELDS } from './checkpointFields';

export * from './fieldTypes';
export { presetArchitecture } from './modelFields';
export { presetGpuSpec } from './hardwareFields';

export const FIELDS: readonly Field[] = [
  ...MODEL_FIELDS,
  ...HARDWARE_FIELDS,
  numeric(
    'ep',
    'parallelism',
    ['parallelism', 'ep'],
    'integer',
    'Expert parallel (EP)',
    { min: 1, max: 4096, step: 1, unit: 'GPUs' },
    'GPUs the experts of a layer are spread over; must divide the experts and the DP degree.',
  ),
  numeric(
    'dp',
    'parallelism',
    ['parallelism', 'dp'],
    'integer',
    'Data parallel (DP)',
    { min: 1, max: 65536, step: 1, unit: 'ranks' },
    'Model replicas for non-expert layers; EP groups live inside them.',
  ),
  numeric(
    'tp',
    'parallelism',
    ['parallelism', 'tp'],
    'integer',
    'Tensor parallel (TP)',
    { min: 1, max: 64, step: 1, unit: 'GPUs' },
    'GPUs each layer’s matrices are split over; must divide the attention heads.',
  ),
  numeric(
    'zero',
    'parallelism',
    ['parallelism', 'zeroStage'],
    'integer',
    'ZeRO stage',
    { min: 0, max: 3, step: 1, unit: '' },
    '0 = off; ZeRO-1 shards optimizer states, ZeRO-2 also gradients, ZeRO-3 also weights, across DP ranks.',
  ),
  {
    key: 'mode',
    section: 'workload',
    kind: 'enum',
    label: 'Mode',
    help: 'Training (forward + backward), inference prefill (whole prompts) or decode (one token per sequence).',
    path: ['workload', 'mode'],
    default: DEFAULTS.workload.mode,
    options: [
      { value: 'training', label: 'Training' },
      { value: 'prefill', label: 'Inference prefill' },
      { value: 'decode', label: 'Inference decode' },
    ],
  },
  numeric(
    'batch',
    'workload',
    ['workload', 'batchSize'],
    'integer',
    'Batch size',
    { min: 1, max: 1048576, step: 1, unit: 'sequences' },
    'Sequences per step over all data-parallel ranks.',
  ),
  numeric(
    'seq',
    'workload',
    ['workload', 'seqLen'],
    'integer',
    'Sequence length',
    { min: 1, max: 4194304, step: 1, unit: 'tokens' },
    'Tokens per sequence; in decode, the context already cached.',
  ),
  numeric(
    'vision',
    'workload',
    ['workload', 'visionFraction'],
    'number',
    'Vision tokens',
    { min: 0, max: 1, step: 0.01, unit: 'fraction' },
    'Share of tokens that are image tokens (multimodal batches, ReaLB).',
  ),
  {
    key: 'precision',
    section: 'workload',
    kind: 'enum',
    label: 'Precision',
    help: 'Number format of every weight (its bytes per weight set weight memory) and of the matrix multiplies (their peak throughput); the GPU must support it.',
    path: ['workload', 'precision'],
    default: DEFAULTS.workload.precision,
    options: [
      { value: 'bf16', label: 'BF16' },
      { value: 'fp8', label: 'FP8' },
      { value: 'fp4', label: 'FP4' },
    ],
  },
  numeric(
    'seed',
    'workload',
    ['workload', 'seed'],
    'integer',
    'Seed',
    { min: 0, max: 4294967295, step: 1, unit: '' },
    'Seeds every random draw: same seed, same numbers everywhere.',
  ),
  ...ROUTING_FIELDS,
  ...CHECKPOINT_FIELDS,
];

export const FIELD_BY_KEY: ReadonlyMap<string, Field> = new Map(FIELDS.map((field) => [field.key, field]));
export const FIELD_KEYS: readonly string[] = FIELDS.map((field) => field.key);

/** The numeric field with this key, or undefined (for a panel that narrows a numeric field's range). */
export function numericField(key: string): NumericField | undefined {
  const field = FIELD_BY_KEY.get(key);
  return field && (field.kind === 'number' || field.kind === 'integer') ? field : undefined;
}
