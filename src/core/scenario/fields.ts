import { MODEL_PRESETS, findModelPreset, DEFAULT_MODEL_ID } from '../catalog/models';
import { GPU_PRESETS, LINK_PRESETS, findGpuPreset, DEFAULT_GPU_ID } from '../catalog/hardware';
import type { ModelArchitecture } from '../catalog/modelTypes';
import type { GpuSpec } from '../catalog/hardwareTypes';
import type { Scenario } from './types';
import { DEFAULTS, numeric } from './fieldBuilders';
import type { BooleanField, Field, NumericField } from './fieldTypes';
import { ROUTING_FIELDS } from './routingFields';
import { CHECKPOINT_FIELDS } from './checkpointFields';

export * from './fieldTypes';

export function presetArchitecture(scenario: Scenario): ModelArchitecture {
  const preset = findModelPreset(scenario.model.preset) ?? findModelPreset(DEFAULT_MODEL_ID);
  if (!preset) throw new Error('the default model preset is missing from the catalog');
  return preset.architecture;
}

export function presetGpuSpec(scenario: Scenario): GpuSpec {
  const preset = findGpuPreset(scenario.hardware.gpu) ?? findGpuPreset(DEFAULT_GPU_ID);
  if (!preset) throw new Error('the default GPU preset is missing from the catalog');
  return preset.spec;
}

type NumericArchitectureKey = {
  [K in keyof ModelArchitecture]: ModelArchitecture[K] extends number ? K : never;
}[keyof ModelArchitecture];
type BooleanArchitectureKey = {
  [K in keyof ModelArchitecture]: ModelArchitecture[K] extends boolean ? K : never;
}[keyof ModelArchitecture];

function architectureField(
  name: NumericArchitectureKey,
  label: string,
  min: number,
  max: number,
  unit: string,
  help: string,
): NumericField {
  return {
    key: `model.${name}`,
    section: 'model',
    kind: 'integer',
    label,
    help,
    path: ['model', 'overrides', name],
    presetDefault: (scenario) => presetArchitecture(scenario)[name],
    default: presetArchitecture(DEFAULTS)[name],
    min,
    max,
    step: 1,
    unit,
  };
}

function architectureFlag(name: BooleanArchitectureKey, label: string, help: string): BooleanField {
  return {
    key: `model.${name}`,
    section: 'model',
    kind: 'boolean',
    label,
    help,
    path: ['model', 'overrides', name],
    presetDefault: (scenario) => presetArchitecture(scenario)[name],
    default: presetArchitecture(DEFAULTS)[name],
  };
}

function gpuField(
  name: keyof GpuSpec,
  label: string,
  min: number,
  max: number,
  step: number,
  unit: string,
  help: string,
): NumericField {
  return {
    key: `gpu.${name}`,
    section: 'hardware',
    kind: 'number',
    label,
    help,
    path: ['hardware', 'gpuOverrides', name],
    presetDefault: (scenario) => presetGpuSpec(scenario)[name],
    default: presetGpuSpec(DEFAULTS)[name],
    min,
    max,
    step,
    unit,
  };
}

/** The typed table of every field a user can set: it drives the validator, the share-link codec, the sidebar and the CLI. */
export const FIELDS: readonly Field[] = [
  {
    key: 'model',
    section: 'model',
    kind: 'enum',
    label: 'Model preset',
    help: 'A published MoE model; change any field below to make it your own.',
    path: ['model', 'preset'],
    default: DEFAULTS.model.preset,
    options: MODEL_PRESETS.map((preset) => ({ value: preset.id, label: preset.name })),
  },
  architectureField('layers', 'Layers', 1, 256, 'layers', 'Transformer blocks.'),
  architectureField('hiddenSize', 'Hidden size', 16, 65536, '', 'Width d_model of the residual stream.'),
  architectureField('attentionHeads', 'Attention heads', 1, 512, 'heads', 'Query heads per layer.'),
  architectureField(
    'kvHeads',
    'KV heads',
    1,
    512,
    'heads',
    'Key/value heads (grouped-query attention); must divide the attention heads.',
  ),
  architectureField('headDim', 'Head dimension', 8, 1024, '', 'Per-head width of queries, keys and values.'),
  architectureField(
    'kvLoraRank',
    'MLA KV rank',
    0,
    8192,
    '',
    'Multi-head latent attention (DeepSeek-V2/V3): compressed KV rank; 0 = standard attention.',
  ),
  architectureField(
    'qLoraRank',
    'MLA query rank',
    0,
    16384,
    '',
    'MLA compressed query rank; 0 = direct query projection.',
  ),
  architectureField(
    'ropeHeadDim',
    'MLA RoPE head dim',
    0,
    512,
    '',
    'MLA decoupled rotary key/query width per head.',
  ),
  architectureField('experts', 'Routed experts', 1, 4096, 'experts', 'Routed experts per MoE layer (n).'),
  architectureField(
    'topK',
    'Top-k',
    1,
    64,
    'experts',
    'Routed experts each token uses (k); at most the expert count.',
  ),
  architectureField(
    'sharedExperts',
    'Shared experts',
    0,
    64,
    'experts',
    'Experts every token uses in addition to its top-k (DeepSeekMoE, Qwen-MoE).',
  ),
  architectureField('expertFfnSize', 'Expert FFN size', 16, 131072, '', 'Intermediate width of one expert.'),
  architectureField(
    'denseFfnSize',
    'Dense FFN size',
    16,
    262144,
    '',
    'Intermediate width of the FFN in dense layers.',
  ),
  architectureField(
    'moeEvery',
    'MoE every',
    1,
    16,
    'layers',
    '1 = every block is MoE; 2 = every second block (GShard, Switch).',
  ),
  architectureField(
    'denseLeadingLayers',
    'Dense leading layers',
    0,
    255,
    'layers',
    'First layers kept dense (DeepSeek first_k_dense_replace).',
  ),
  architectureFlag(
    'gatedFfn',
    'Gated FFN (SwiGLU)',
    'Three weight matrices per FFN (SwiGLU/GeGLU) instead of two (ReLU/GeLU).',
  ),
  architectureField('vocabSize', 'Vocabulary', 1, 1048576, 'tokens', 'Vocabulary size.'),
  architectureFlag('tiedEmbeddings', 'Tied embeddings', 'The output head reuses the input embedding matrix.'),
  architectureField('maxContext', 'Max context', 1, 4194304, 'tokens', 'Longest context the model supports.'),
  {
    key: 'gpu',
    section: 'hardware',
    kind: 'enum',
    label: 'GPU',
    help: 'A datasheet GPU; change any figure below to model another chip.',
    path: ['hardware', 'gpu'],
    default: DEFAULTS.hardware.gpu,
    options: GPU_PRESETS.map((preset) => ({ value: preset.id, label: preset.name })),
  },
  gpuField('bf16Tflops', 'BF16 peak', 1, 1e6, 0.5, 'TFLOP/s', 'Peak dense BF16 tensor throughput.'),
  gpuField(
    'fp8Tflops',
    'FP8 peak',
    0,
    1e6,
    0.5,
    'TFLOP/s',
    'Peak dense FP8 tensor throughput; 0 = no FP8 tensor cores.',
  ),
  gpuField(
    'fp4Tflops',
    'FP4 peak',
    0,
    1e6,
    0.5,
    'TFLOP/s',
    'Peak dense FP4 tensor throughput; 0 = no FP4 tensor cores.',
  ),
  gpuField('memBandwidthGBps', 'Memory bandwidth', 1, 1e5, 1, 'GB/s', 'HBM/GDDR bandwidth.'),
  gpuField('memGB', 'Memory', 1, 1e4, 1, 'GB', 'Device memory.'),
  numeric(
    'gpusPerNode',
    'hardware',
    ['hardware', 'gpusPerNode'],
    'integer',
    'GPUs per node',
    { min: 1, max: 72, step: 1, unit: 'GPUs' },
    'GPUs sharing the fast intra-node link (72 for NVL72).',
  ),
  {
    key: 'intraLink',
    section: 'hardware',
    kind: 'enum',
    label: 'Intra-node link',
    help: 'GPU-to-GPU link inside a node; "auto" uses the one the GPU ships with.',
    path: ['hardware', 'intraLink'],
    default: DEFAULTS.hardware.intraLink,
    options: [
      { value: 'auto', label: 'Auto (the GPU’s own)' },
      ...LINK_PRESETS.filter((link) => link.scope === 'intra-node').map((link) => ({
        value: link.id,
        label: link.name,
      })),
    ],
  },
  {
    key: 'interLink',
    section: 'hardware',
    kind: 'enum',
    label: 'Inter-node link',
    help: 'Network between nodes, per GPU.',
    path: ['hardware', 'interLink'],
    default: DEFAULTS.hardware.interLink,
    options: LINK_PRESETS.filter((link) => link.scope === 'inter-node').map((link) => ({
      value: link.id,
      label: link.name,
    })),
  },
  numeric(
    'hostLinkGBps',
    'hardware',
    ['hardware', 'hostLinkGBps'],
    'number',
    'GPU↔host bandwidth',
    { min: 0.1, max: 1000, step: 0.1, unit: 'GB/s' },
    'GPU-to-CPU copy bandwidth per GPU (PCIe 4.0 ×16 ≈ 32 GB/s; MoC-System’s simulations assume 1–2 GB/s effective snapshot bandwidth).',
  ),
  numeric(
    'storageWriteGBps',
    'hardware',
    ['hardware', 'storageWriteGBps'],
    'number',
    'Storage write bandwidth',
    { min: 0.01, max: 1000, step: 0.01, unit: 'GB/s' },
    'Checkpoint write bandwidth per node to persistent storage (an assumption: set it to your file system’s).',
  ),
  numeric(
    'computeEff',
    'hardware',
    ['hardware', 'computeEfficiency'],
    'number',
    'Compute efficiency',
    { min: 0.01, max: 1, step: 0.01, unit: '' },
    'Fraction of peak throughput expert GEMMs achieve (MoC-System §6.2.4 simulates at 0.2).',
  ),
  numeric(
    'networkEff',
    'hardware',
    ['hardware', 'networkEfficiency'],
    'number',
    'Network efficiency',
    { min: 0.01, max: 1, step: 0.01, unit: '' },
    'Fraction of link bandwidth all-to-all achieves.',
  ),
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
    help: 'Weight and compute precision of the experts.',
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
