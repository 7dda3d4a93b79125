/**
 * Keeps `keep` of the candidate pair indices in `pool[from, to)` by highest score (ties: lower token first),
 * rearranging the pool so the kept ones come first. Hoare-style quickselect: O(n) on average, no allocation.
 */
export function selectTopByScore(
  pool: Int32Array,
  from: number,
  to: number,
  keep: number,
  score: Float32Array,
  token: Int32Array,
): void {
  let left = from;
  let right = to - 1;
  const target = from + keep - 1;
  const better = (a: number, b: number) => {
    const scoreA = score[a] ?? 0;
    const scoreB = score[b] ?? 0;
    return scoreA > scoreB || (scoreA === scoreB && (token[a] ?? 0) < (token[b] ?? 0));
  };
  while (left < right) {
    const pivot = pool[(left + right) >>> 1] ?? 0;
    let i = left;
    let j = right;
    while (i <= j) {
      while (better(pool[i] ?? 0, pivot)) i += 1;
      while (better(pivot, pool[j] ?? 0)) j -= 1;
      if (i <= j) {
        const swap = pool[i] ?? 0;
        pool[i] = pool[j] ?? 0;
        pool[j] = swap;
        i += 1;
        j -= 1;
      }
    }
    if (target <= j) right = j;
    else if (target >= i) left = i;
    else return;
  }
}
