import { input, type Metric } from '../metric';
import { resolveArchitecture, worldSize } from '../scenario/resolve';
import type { Scenario } from '../scenario/types';

export function worldSizeMetric(scenario: Scenario): Metric {
  const { dp, tp } = scenario.parallelism;
  return {
    id: 'worldSize',
    label: 'GPUs',
    value: worldSize(scenario),
    unit: 'GPUs',
    formula: 'G = DP · TP',
    inputs: [
      input('DP', 'data-parallel degree', dp, 'ranks'),
      input('TP', 'tensor-parallel degree', tp, 'GPUs'),
    ],
    source:
      'EP groups are formed inside the DP ranks (DeepSpeed-MoE; MoC-System Table 2: DP=16, EP=8 on 16 GPUs)',
  };
}

export function nodesMetric(scenario: Scenario): Metric {
  const gpus = worldSize(scenario);
  const perNode = scenario.hardware.gpusPerNode;
  return {
    id: 'nodes',
    label: 'Nodes',
    value: Math.ceil(gpus / perNode),
    unit: 'nodes',
    formula: 'N_nodes = ⌈G / G_node⌉',
    inputs: [input('G', 'GPUs', gpus, 'GPUs'), input('G_node', 'GPUs per node', perNode, 'GPUs')],
    source: 'Node shape from the hardware settings',
  };
}

export function expertsPerGpuMetric(scenario: Scenario): Metric {
  const arch = resolveArchitecture(scenario);
  const ep = scenario.parallelism.ep;
  return {
    id: 'expertsPerGpu',
    label: 'Experts per GPU (per layer)',
    value: arch.experts / ep,
    unit: 'experts',
    formula: 'm = n / EP',
    inputs: [
      input('n', 'routed experts', arch.experts, 'experts'),
      input('EP', 'expert-parallel degree', ep, 'GPUs'),
    ],
    source: 'Capacity-Aware Inference §4 (m = n/EP local experts per device)',
  };
}
