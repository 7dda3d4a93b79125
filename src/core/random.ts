import { log } from './portableMath';
import { inverseNormalCdf } from './normalQuantile';

/**
 * The only source of randomness in the core. Every stochastic model takes a `Random` built from the scenario's
 * seed, so the same link gives the same numbers in the browser and on the command line.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal N(0, 1). */
  normal(): number;
  /** Exponential with the given mean. */
  exponential(mean: number): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

/** mulberry32 (Tommy Ettinger, public domain): 32-bit state, passes gjrand/PractRand to 2^32 outputs, fast in JS. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    normal() {
      // Inverse-CDF sampling rather than Box-Muller: no sin or cos, whose last bit differs between engines.
      return inverseNormalCdf((next() * 4294967296 + 0.5) / 4294967297);
    },
    exponential(mean) {
      return -mean * log(1 - next());
    },
    int(n) {
      return Math.floor(next() * n);
    },
  };
}
