import { describe, expect, it } from 'vitest';
import { layerPopularity, popularityMagnitudes } from '../../../src/core/routing/popularity';

describe('popularity drift across batches', () => {
  it('gives the same shares whether batches are visited in order, out of order or afresh', () => {
    const base = {
      magnitudes: popularityMagnitudes('zipf', 32, 0.8),
      layers: 6,
      correlation: 0.9,
      drift: 0.3,
      seed: 11,
    };
    const inOrder = [0, 1, 2, 3, 4, 5].map((step) => layerPopularity({ ...base, step }));
    const backwards = [5, 4, 3, 2, 1, 0].map((step) => layerPopularity({ ...base, step })).reverse();
    const otherSeedBetween = [0, 1, 2, 3, 4, 5].map((step) => {
      layerPopularity({ ...base, seed: 99, step: 7 });
      return layerPopularity({ ...base, step });
    });
    expect(backwards).toEqual(inOrder);
    expect(otherSeedBetween).toEqual(inOrder);
    expect(inOrder[5]).not.toEqual(inOrder[0]);
  });
});
