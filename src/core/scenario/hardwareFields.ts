import { DEFAULT_GPU_ID, GPU_PRESETS, LINK_PRESETS, findGpuPreset } from '../catalog/hardware';
import type { GpuSpec } from '../catalog/hardwareTypes';
import type { Scenario } from './types';
import { DEFAULTS, numeric } from './fieldBuilders';
import type { Field, NumericField } from './fieldTypes';

// The scenario's hardware fields: the GPU preset and its figures, links, bandwidths and efficiencies.

export function presetGpuSpec(scenario: Scenario): GpuSpec {
  const preset = findGpuPreset(scenario.hardware.gpu) ?? findGpuPreset(DEFAULT_GPU_ID);
  if (!preset) throw new Error('the default GPU preset is missing from the catalog');
  return preset.spec;
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
/** The Hardware section: the GPU preset and its overridable figures, the links, bandwidths and efficiencies. */
export const HARDWARE_FIELDS: readonly Field[] = [
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
];
