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
  let spareNormal: number | null = null;
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
      if (spareNormal !== null) {
        const value = spareNormal;
        spareNormal = null;
        return value;
      }
      // Box-Muller transform; 1 - u keeps the logarithm's argument in (0, 1].
      const u = 1 - next();
      const v = next();
      const radius = Math.sqrt(-2 * Math.log(u));
      spareNormal = radius * Math.sin(2 * Math.PI * v);
      return radius * Math.cos(2 * Math.PI * v);
    },
    exponential(mean) {
      return -mean * Math.log(1 - next());
    },
    int(n) {
      return Math.floor(next() * n);
    },
  };
}
