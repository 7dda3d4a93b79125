import { DEFAULT_MODEL_ID, MODEL_PRESETS, findModelPreset } from '../catalog/models';
import type { ModelArchitecture } from '../catalog/modelTypes';
import type { Scenario } from './types';
import { DEFAULTS } from './fieldBuilders';
import type { BooleanField, Field, NumericField } from './fieldTypes';

// The scenario's model fields: the preset and every architecture figure it can override.

export function presetArchitecture(scenario: Scenario): ModelArchitecture {
  const preset = findModelPreset(scenario.model.preset) ?? findModelPreset(DEFAULT_MODEL_ID);
  if (!preset) throw new Error('the default model preset is missing from the catalog');
  return preset.architecture;
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

/** The Model section: the preset, then its architecture, each figure overridable. */
export const MODEL_FIELDS: readonly Field[] = [
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
];
