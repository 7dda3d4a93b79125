/**
 * Keeps `keep` of the candidate pair indices in `pool[from, to)` by highest score (ties: lower token first),
 * rearranging the pool so the kept ones come first. Hoare-style quickselect: O(n) on average, no allocation.
 * The comparisons are written out (a pair is better than the pivot when its score is higher, or equal with a lower
 * token) so the scans read the pivot's score and token once; non-null assertions (!) as indices are in range.
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
  while (left < right) {
    const pivot = pool[(left + right) >>> 1]!;
    const pivotScore = score[pivot]!;
    const pivotToken = token[pivot]!;
    let i = left;
    let j = right;
    while (i <= j) {
      for (;;) {
        const pair = pool[i]!;
        const pairScore = score[pair]!;
        if (pairScore > pivotScore || (pairScore === pivotScore && token[pair]! < pivotToken)) i += 1;
        else break;
      }
      for (;;) {
        const pair = pool[j]!;
        const pairScore = score[pair]!;
        if (pivotScore > pairScore || (pivotScore === pairScore && pivotToken < token[pair]!)) j -= 1;
        else break;
      }
      if (i <= j) {
        const swap = pool[i]!;
        pool[i] = pool[j]!;
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
