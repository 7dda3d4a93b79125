import { createHash, type Hash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { routeStep } from '../../../src/core/routing/routeStep';
import type { RoutingStep } from '../../../src/core/routing/types';
import { decodeFragment } from '../../../src/core/scenario/shareLink';
import { deviceCaseArbitrary, runDevice, TOKEN_CHOICE_GATINGS } from './support';

/**
 * Routing speed-ups must not change what is computed. These tests hash everything routing produces, bit for bit
 * (every count, every float64 metric, every pair and whether it was kept), and compare with the hashes the
 * unoptimised code gave. A failure here means a change altered results, not just speed: if that is intended, say
 * so in the commit and update the hashes.
 */

function hashValue(hash: Hash, key: string, value: unknown): void {
  hash.update(`${key}:`);
  if (ArrayBuffer.isView(value))
    hash.update(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
  else if (typeof value === 'number') hash.update(new Uint8Array(Float64Array.of(value).buffer));
  else hash.update(String(value));
  hash.update(';');
}

function hashStep(hash: Hash, step: RoutingStep): void {
  for (const [key, value] of Object.entries(step)) if (key !== 'layers') hashValue(hash, key, value);
  for (const layer of step.layers)
    for (const key of Object.keys(layer).sort()) hashValue(hash, key, layer[key as keyof typeof layer]);
}

const BENCH_FRAGMENT =
  'v=1&model=deepseek-v3&mode=prefill&ep=1&dp=1&routing.tokensPerDevice=16384&routing.capacityFactor=1.5&routing.dropPolicy=score';

describe('routing output is unchanged, bit for bit', () => {
  it('routeDevice: 400 drawn cases, every gating, limit and drop policy (outputs and every pair)', () => {
    const cases = fc.sample(deviceCaseArbitrary({ gatings: [...TOKEN_CHOICE_GATINGS, 'expert-choice'] }), {
      seed: 3,
      numRuns: 400,
    });
    const hash = createHash('sha256');
    for (const c of cases) {
      const { out, scratch } = runDevice(c);
      for (const key of Object.keys(out).sort()) hashValue(hash, key, out[key as keyof typeof out]);
      const pairs = scratch.pairCount;
      hashValue(hash, 'pairs', pairs);
      hashValue(hash, 'token', scratch.pairToken.subarray(0, pairs));
      hashValue(hash, 'expert', scratch.pairExpert.subarray(0, pairs));
      hashValue(hash, 'score', scratch.pairScore.subarray(0, pairs));
      hashValue(hash, 'weight', scratch.pairWeight.subarray(0, pairs));
      hashValue(hash, 'original', scratch.pairOriginal.subarray(0, pairs));
      hashValue(hash, 'kept', scratch.pairKept.subarray(0, pairs));
    }
    expect(hash.digest('hex')).toBe('bcff1e4120e832f852e1fcad88b050895082100720011ff8c9f3456867f464a7');
  });

  it.each([
    [
      'the routeLayer benchmark',
      BENCH_FRAGMENT,
      '2e79cd5215af81ef186942669b09bbd753e818bea97361a0fa17a476b3972036',
    ],
    [
      'the benchmark with DeepSeek-V3’s own router (sigmoid, 4 of 8 groups)',
      `${BENCH_FRAGMENT}&routing.gating=group-limited&routing.groups=8&routing.topkGroups=4`,
      '04179480f1f44cad91d022006c6a1e993a5a2d5cd3bfef5c0d3da5c9a5c66816',
    ],
    [
      'DeepSeek-V2’s router, device-level limit, Expanded Drop, vision tokens, 4 devices',
      'v=1&model=deepseek-v2&mode=prefill&ep=4&dp=4&routing.tokensPerDevice=2048&routing.gating=softmax-group-limited&routing.groups=8&routing.topkGroups=3&routing.capacity=device&routing.expandedDrop=true&vision=0.3',
      '86017b1965df0b066c8889e3e219d365bb159cba75aa52ce6e7578cf0b83fc75',
    ],
  ])('routeStep: %s', (_name, fragment, expected) => {
    const { scenario, messages } = decodeFragment(fragment);
    expect(messages).toEqual([]);
    const hash = createHash('sha256');
    for (const seed of [1, 2])
      hashStep(
        hash,
        routeStep({ ...scenario, workload: { ...scenario.workload, seed } }, 0, { layers: [0, 1] }),
      );
    expect(hash.digest('hex')).toBe(expected);
  });
});
