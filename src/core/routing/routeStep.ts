import { countParameters } from '../model/params';
import { resolveArchitecture } from '../scenario/resolve';
import type { Scenario } from '../scenario/types';
import { expertCapacity } from './capacity';
import { expNoiseTable } from './normalTable';
import {
  customPopularity,
  layerPopularity,
  popularityMagnitudes,
  routerExpBiases,
  visionHeavyExperts,
} from './popularity';
import { ensureScratch, routeDevice, type DeviceRoutingOutput, type RoutingScratch } from './routeDevice';
import { deriveSeed } from './seeds';
import { routingInForce, simulatedTokensPerDevice } from './inForce';
import type { LayerRouting, RoutingStep } from './types';

/** Source devices simulated at most: beyond this, a sample of devices stands for the rest (they are alike in law). */
export const MAX_SIMULATED_DEVICES = 64;

/**
 * Which of the scenario's source devices the simulated device `index` stands for: all of them when every one is
 * simulated, otherwise a sample spread evenly over them, so a sample of 64 of 256 devices holds experts of every EP
 * rank for Expanded Drop's local experts, not only those of the first 64.
 */
export function sourceDeviceOf(index: number, simulated: number, inScenario: number): number {
  return simulated >= inScenario ? index : Math.floor((index * inScenario) / simulated);
}

export interface RouteStepOptions {
  /** A user-supplied per-layer expert-load matrix; used when the profile is 'custom'. */
  customLoads?: readonly (readonly number[])[] | null;
  /** Route only these MoE layers (default: all). */
  layers?: readonly number[];
}

/**
 * Routes one batch (`step`) through every MoE layer on every simulated source device. Deterministic: the same
 * scenario and step give the same counts, whichever layers are asked for and in whatever order.
 */
export function routeStep(requested: Scenario, step: number, options: RouteStepOptions = {}): RoutingStep {
  const scenario = routingInForce(requested);
  const arch = resolveArchitecture(scenario);
  const settings = scenario.routing;
  const experts = arch.experts;
  const topK = Math.min(arch.topK, experts);
  const moeLayers = Math.max(1, countParameters(arch).moeLayers);
  const ep = scenario.parallelism.ep;
  const localExperts = Math.max(1, Math.floor(experts / ep));
  const devicesInScenario = scenario.parallelism.dp;
  const devices = Math.min(devicesInScenario, MAX_SIMULATED_DEVICES);
  const tokens = simulatedTokensPerDevice(scenario);
  const seed = scenario.workload.seed;

  const layerIndices = options.layers ?? Array.from({ length: moeLayers }, (_, layer) => layer);
  // Popularity is an AR(1) chain over layers, so routing only the first layers needs only that prefix of the chain.
  const layersNeeded = Math.min(moeLayers, Math.max(0, ...layerIndices) + 1);
  const custom =
    settings.profile === 'custom' &&
    options.customLoads &&
    options.customLoads.length > 0 &&
    options.customLoads[0]?.length === experts;
  const shares = custom
    ? customPopularity(options.customLoads ?? [], moeLayers)
    : layerPopularity({
        magnitudes: popularityMagnitudes(
          settings.profile === 'custom' ? 'zipf' : settings.profile,
          experts,
          settings.zipfExponent,
        ),
        layers: layersNeeded,
        correlation: settings.layerCorrelation,
        drift: settings.drift,
        step,
        seed,
      });
  const vision = visionHeavyExperts(experts, settings.visionExpertFraction, seed);
  const expNoise = expNoiseTable(settings.noise);
  const gammaForExpertChoice = settings.capacity === 'off' ? 1 : settings.capacityFactor;
  const capacity =
    settings.gating === 'expert-choice'
      ? expertCapacity(gammaForExpertChoice, topK, tokens, experts)
      : settings.capacity === 'off'
        ? 0
        : expertCapacity(settings.capacityFactor, topK, tokens, experts);
  const scratch: Partial<RoutingScratch> = {};
  const ready = ensureScratch(
    scratch,
    tokens,
    experts,
    topK,
    settings.expandedDrop ? localExperts : 0,
    settings.gating === 'expert-choice',
  );

  const layers: LayerRouting[] = layerIndices.map((layer) => {
    const layerShares = shares[layer % shares.length] ?? new Float64Array(experts).fill(1 / experts);
    const { text: expBiasText, vision: expBiasVision } = routerExpBiases(
      layerShares,
      topK,
      settings.noise,
      vision,
      settings.visionBias,
    );
    const preDropFlow = new Int32Array(devices * experts);
    const keptFlow = new Int32Array(devices * experts);
    const preDropLoad = new Int32Array(experts);
    const keptLoad = new Int32Array(experts);
    // One accumulator for the layer; its per-expert rows point at each device's slice of the flow matrices in turn.
    const accumulator: DeviceRoutingOutput = {
      preDrop: preDropFlow.subarray(0, experts),
      kept: keptFlow.subarray(0, experts),
      probabilityMass: new Float64Array(experts),
      overflowPairs: 0,
      routedPairs: 0,
      keptPairs: 0,
      addedPairs: 0,
      tokensWithNoExpert: 0,
      zLossSum: 0,
      routedGateWeight: 0,
      keptGateWeight: 0,
      droppedGateWeight: 0,
      maxExpertLoadBefore: 0,
      maxExpertLoadAfter: 0,
    };
    for (let device = 0; device < devices; device += 1) {
      accumulator.preDrop = preDropFlow.subarray(device * experts, (device + 1) * experts);
      accumulator.kept = keptFlow.subarray(device * experts, (device + 1) * experts);
      routeDevice(
        {
          tokens,
          experts,
          topK,
          gating: settings.gating,
          groups: settings.groups,
          topkGroups: settings.topkGroups,
          expBiasText,
          expBiasVision,
          expNoise,
          visionFraction: scenario.workload.visionFraction,
          seed: deriveSeed(seed, step, layer, device),
          localStart: (sourceDeviceOf(device, devices, devicesInScenario) % ep) * localExperts,
          localExperts,
          capacityMode: settings.capacity,
          capacity,
          dropPolicy: settings.dropPolicy,
          expandedDrop: settings.expandedDrop,
        },
        ready,
        accumulator,
      );
      for (let expert = 0; expert < experts; expert += 1) {
        preDropLoad[expert] = (preDropLoad[expert] ?? 0) + (accumulator.preDrop[expert] ?? 0);
        keptLoad[expert] = (keptLoad[expert] ?? 0) + (accumulator.kept[expert] ?? 0);
      }
    }
    const totals = accumulator;
    const tokenCount = tokens * devices;
    // Switch auxiliary loss (Fedus et al. 2021, Eq. 4; MoE survey §4.1): N · Σ_i f_i · P_i, f_i over all k choices.
    let auxLoss = 0;
    for (let expert = 0; expert < experts; expert += 1) {
      const fraction = totals.routedPairs > 0 ? (preDropLoad[expert] ?? 0) / totals.routedPairs : 0;
      const meanProbability = (totals.probabilityMass[expert] ?? 0) / tokenCount;
      auxLoss += fraction * meanProbability;
    }
    return {
      preDropLoad,
      keptLoad,
      preDropFlow,
      keptFlow,
      maxDeviceExpertLoadBefore: totals.maxExpertLoadBefore,
      maxDeviceExpertLoadAfter: totals.maxExpertLoadAfter,
      overflowPairs: totals.overflowPairs,
      routedPairs: totals.routedPairs,
      keptPairs: totals.keptPairs,
      droppedPairs: totals.routedPairs - (totals.keptPairs - totals.addedPairs),
      addedPairs: totals.addedPairs,
      tokensWithNoExpert: totals.tokensWithNoExpert,
      tokens: tokenCount,
      auxLoss: experts * auxLoss,
      zLoss: totals.zLossSum / tokenCount,
      routedGateWeight: totals.routedGateWeight,
      keptGateWeight: totals.keptGateWeight,
      droppedGateWeight: totals.droppedGateWeight,
      capacity,
    };
  });
  return { step, experts, topK, devices, devicesInScenario, tokensPerDevice: tokens, localExperts, layers };
}
