import { findLinkPreset, findGpuPreset } from '../catalog/hardware';
import type { ModelArchitecture } from '../catalog/modelTypes';
import type { GpuSpec, LinkPreset } from '../catalog/hardwareTypes';
import { presetArchitecture, presetGpuSpec } from './fields';
import type { Scenario } from './types';

/** The model the scenario describes: its preset with the user's overrides on top. */
export function resolveArchitecture(scenario: Scenario): ModelArchitecture {
  return { ...presetArchitecture(scenario), ...scenario.model.overrides };
}

export function resolveGpu(scenario: Scenario): GpuSpec {
  return { ...presetGpuSpec(scenario), ...scenario.hardware.gpuOverrides };
}

export function resolveIntraLink(scenario: Scenario): LinkPreset {
  const id =
    scenario.hardware.intraLink === 'auto'
      ? (findGpuPreset(scenario.hardware.gpu)?.defaultIntraLink ?? 'pcie4')
      : scenario.hardware.intraLink;
  const link = findLinkPreset(id) ?? findLinkPreset('pcie4');
  if (!link) throw new Error('link catalog is missing pcie4');
  return link;
}

export function resolveInterLink(scenario: Scenario): LinkPreset {
  const link = findLinkPreset(scenario.hardware.interLink) ?? findLinkPreset('ib-ndr');
  if (!link) throw new Error('link catalog is missing ib-ndr');
  return link;
}

/** GPUs in the job: DP replicas × TP shards (EP groups are carved out of the DP ranks, as in DeepSpeed-MoE and Megatron). */
export function worldSize(scenario: Scenario): number {
  return scenario.parallelism.dp * scenario.parallelism.tp;
}
