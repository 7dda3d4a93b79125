import { plural } from '../format';
import { countParameters } from '../model/params';
import { isGroupLimited } from '../routing/gatingKinds';
import { FIELD_BY_KEY } from './fields';
import { writeField } from './fieldAccess';
import { resolveArchitecture, resolveGpu } from './resolve';
import type { Scenario, ValidationMessage } from './types';

/** The largest divisor of `n` that is at most `limit` (at least 1). */
export function largestDivisorAtMost(n: number, limit: number): number {
  for (let candidate = Math.min(n, Math.floor(limit)); candidate > 1; candidate -= 1) {
    if (n % candidate === 0) return candidate;
  }
  return 1;
}

function set(scenario: Scenario, key: string, value: number | string): Scenario {
  const field = FIELD_BY_KEY.get(key);
  if (!field) throw new Error(`unknown field ${key}`);
  return writeField(scenario, field, value);
}

/**
 * Fixes combinations that cannot run, each with a message: every field may be in range and the whole still be
 * impossible (EP that does not divide the experts, top-k above the expert count, FP8 on a GPU without it).
 */
export function reconcileCombinations(input: Scenario): {
  scenario: Scenario;
  messages: ValidationMessage[];
} {
  let scenario = input;
  const messages: ValidationMessage[] = [];
  const note = (key: string, message: string) => messages.push({ kind: 'combination', key, message });

  let arch = resolveArchitecture(scenario);
  if (arch.topK > arch.experts) {
    note(
      'model.topK',
      `Top-k ${arch.topK} is more than the ${plural(arch.experts, 'routed expert')}; using top-${arch.experts}.`,
    );
    scenario = set(scenario, 'model.topK', arch.experts);
  }
  arch = resolveArchitecture(scenario);
  if (arch.attentionHeads % arch.kvHeads !== 0) {
    const kvHeads = largestDivisorAtMost(arch.attentionHeads, arch.kvHeads);
    note(
      'model.kvHeads',
      `${arch.kvHeads} KV heads do not divide ${plural(arch.attentionHeads, 'attention head')}; using ${kvHeads}.`,
    );
    scenario = set(scenario, 'model.kvHeads', kvHeads);
  }
  arch = resolveArchitecture(scenario);
  if (countParameters(arch).moeLayers === 0) {
    if (arch.moeEvery > arch.layers) {
      note(
        'model.moeEvery',
        `An MoE layer every ${arch.moeEvery} layers leaves none in ${plural(arch.layers, 'layer')}; using every layer.`,
      );
      scenario = set(scenario, 'model.moeEvery', 1);
    }
    arch = resolveArchitecture(scenario);
    if (countParameters(arch).moeLayers === 0) {
      const dense = Math.max(0, arch.layers - arch.moeEvery);
      note(
        'model.denseLeadingLayers',
        `${arch.denseLeadingLayers === 1 ? '1 dense leading layer leaves' : `${arch.denseLeadingLayers} dense leading layers leave`} no MoE layer in ${plural(arch.layers, 'layer')}; using ${dense}.`,
      );
      scenario = set(scenario, 'model.denseLeadingLayers', dense);
    }
  }
  arch = resolveArchitecture(scenario);

  const { ep, dp, tp } = scenario.parallelism;
  if (arch.experts % ep !== 0) {
    // Prefer an EP that also divides DP, so the cluster keeps its size (60 experts on EP=8, DP=8: EP=4, not EP=6 with
    // DP raised to 12), unless that would give up more than half of the expert parallelism.
    const largest = largestDivisorAtMost(arch.experts, ep);
    let keepingDp = largest;
    while (dp % keepingDp !== 0 || arch.experts % keepingDp !== 0) keepingDp -= 1;
    const fixed = keepingDp * 2 >= largest ? keepingDp : largest;
    note('ep', `EP=${ep} does not divide the ${plural(arch.experts, 'expert')} evenly; using EP=${fixed}.`);
    scenario = set(scenario, 'ep', fixed);
  }
  const epNow = scenario.parallelism.ep;
  if (dp % epNow !== 0) {
    // The next multiple of EP; past DP's maximum (65536) the largest multiple below it, which exists as EP ≤ 4096.
    const up = Math.ceil(dp / epNow) * epNow;
    const fixed = up <= 65536 ? up : Math.floor(65536 / epNow) * epNow;
    note(
      'dp',
      `EP groups live inside the data-parallel ranks, so DP must be a multiple of EP=${epNow}; using DP=${fixed}.`,
    );
    scenario = set(scenario, 'dp', fixed);
  }
  if (arch.attentionHeads % tp !== 0) {
    const fixed = largestDivisorAtMost(arch.attentionHeads, tp);
    note(
      'tp',
      `TP=${tp} does not divide the ${plural(arch.attentionHeads, 'attention head')}; using TP=${fixed}.`,
    );
    scenario = set(scenario, 'tp', fixed);
  }

  const moeLayers = countParameters(arch).moeLayers;
  if (scenario.routing.layer > moeLayers - 1) {
    note(
      'routing.layer',
      `The model has ${plural(moeLayers, 'MoE layer')}; showing the last one (${moeLayers - 1}).`,
    );
    scenario = set(scenario, 'routing.layer', Math.max(0, moeLayers - 1));
  }
  const routing = scenario.routing;
  if (isGroupLimited(routing.gating)) {
    if (arch.experts % routing.groups !== 0 || routing.groups > arch.experts) {
      const fixed = largestDivisorAtMost(arch.experts, Math.min(routing.groups, 32));
      note(
        'routing.groups',
        `${plural(routing.groups, 'expert group')} ${routing.groups === 1 ? 'does' : 'do'} not split the ${plural(arch.experts, 'expert')} evenly; using ${fixed}.`,
      );
      scenario = set(scenario, 'routing.groups', fixed);
    }
    const groups = scenario.routing.groups;
    if (scenario.routing.topkGroups > groups) {
      note(
        'routing.topkGroups',
        `Keeping ${scenario.routing.topkGroups} of ${plural(groups, 'group')} is impossible; keeping ${groups === 1 ? 'the one' : `all ${groups}`}.`,
      );
      scenario = set(scenario, 'routing.topkGroups', groups);
    }
    const perGroup = arch.experts / groups;
    const needed = Math.ceil(arch.topK / perGroup);
    if (scenario.routing.topkGroups < needed) {
      note(
        'routing.topkGroups',
        `Top-${arch.topK} needs at least ${needed} groups of ${plural(perGroup, 'expert')}; keeping ${needed}.`,
      );
      scenario = set(scenario, 'routing.topkGroups', needed);
    }
  }

  const checkpoint = scenario.checkpoint;
  if (checkpoint.expertsPerCheckpoint > arch.experts) {
    note(
      'checkpoint.expertsPerCheckpoint',
      `K=${checkpoint.expertsPerCheckpoint} is more than the ${plural(arch.experts, 'expert')} per layer; saving ${arch.experts === 1 ? 'it' : `all ${arch.experts}`}.`,
    );
    scenario = set(scenario, 'checkpoint.expertsPerCheckpoint', arch.experts);
  }
  if (scenario.checkpoint.expertsPersisted > scenario.checkpoint.expertsPerCheckpoint) {
    const k = scenario.checkpoint.expertsPerCheckpoint;
    note(
      'checkpoint.expertsPersisted',
      `K_persist=${scenario.checkpoint.expertsPersisted} cannot exceed the ${plural(k, 'expert')} snapshotted; persisting ${k}.`,
    );
    scenario = set(scenario, 'checkpoint.expertsPersisted', k);
  }
  if (scenario.checkpoint.viewIteration > scenario.checkpoint.totalIterations) {
    note(
      'checkpoint.viewIteration',
      `The run has ${plural(scenario.checkpoint.totalIterations, 'iteration')}; showing the last.`,
    );
    scenario = set(scenario, 'checkpoint.viewIteration', scenario.checkpoint.totalIterations);
  }

  const gpu = resolveGpu(scenario);
  const precision = scenario.workload.precision;
  if (precision === 'fp4' && gpu.fp4Tflops <= 0) {
    const fallback = gpu.fp8Tflops > 0 ? 'fp8' : 'bf16';
    note('precision', `This GPU has no FP4 tensor cores; using ${fallback.toUpperCase()}.`);
    scenario = set(scenario, 'precision', fallback);
  } else if (precision === 'fp8' && gpu.fp8Tflops <= 0) {
    note('precision', 'This GPU has no FP8 tensor cores; using BF16.');
    scenario = set(scenario, 'precision', 'bf16');
  }
  return { scenario, messages };
}
