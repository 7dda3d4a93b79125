/**
 * Which experts a checkpoint saves (MoC-System §3.2). Both rules write K expert indices per MoE layer into a flat
 * buffer (layer-major, `out[layer·K + m]`), so the fault simulation can call them once per checkpoint without
 * allocating.
 */

/** Greatest common divisor of two non-negative integers. */
export function greatestCommonDivisor(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y !== 0) {
    const rest = x % y;
    x = y;
    y = rest;
  }
  return x;
}

/**
 * Checkpoints before sequential selection repeats: the rotation start c·K mod N comes back to 0 after
 * N / gcd(N, K) checkpoints.
 */
export function sequentialPeriod(experts: number, k: number): number {
  return experts / greatestCommonDivisor(experts, k);
}

/** The rotation start P of checkpoint c when K stays constant: P = c·K mod N (MoC Fig. 4; papers.md §1.5). */
export function sequentialPointer(checkpointIndex: number, k: number, experts: number): number {
  // (c mod N)·(K mod N) keeps the product exact for any run length.
  return ((checkpointIndex % experts) * (k % experts)) % experts;
}

/**
 * The expert at position g (0 ≤ g < N) of sequential selection's order: positions are dealt to the EP ranks in turn
 * (rank g mod EP) and walk through each rank's N/EP experts (expert e lives on EP rank ⌊e·EP/N⌋), so consecutive
 * positions land on consecutive ranks. A bijection on 0..N−1, as EP divides N.
 */
export function sequentialExpert(position: number, experts: number, expertParallel: number): number {
  const ranks = Math.max(1, Math.min(expertParallel, experts));
  const perRank = experts / ranks;
  return (position % ranks) * perRank + Math.floor(position / ranks);
}

/**
 * Sequential, interleaved selection (MoC §3.2, Fig. 4): checkpoint c saves the positions P, P+1, …, P + N_moe·K − 1
 * (mod N) of sequentialExpert's order, K per MoE layer in layer order, where P = c·K. The rule is derived from
 * Fig. 4 (papers.md §1.5): with K = 1 and one expert per rank it gives exactly the figure's Expert(1-0, 3-1, 5-2,
 * 7-0) then Expert(1-1, 3-2, 5-0, 7-1), the save continuing from one layer to the next across the EP ranks. Every
 * layer saves each of its experts once in N/K checkpoints, and the ranks' save counts differ by at most one, so they
 * are equal exactly when K·N_moe is a multiple of EP: the condition of MoC §4.3. `pointer` is P (advance it by K per
 * checkpoint; with dynamic K, by the K in force).
 */
export function sequentialSelection(
  moeLayers: number,
  experts: number,
  k: number,
  pointer: number,
  out: Int32Array,
  expertParallel: number,
): void {
  const count = Math.min(k, experts);
  let position = pointer % experts;
  for (let layer = 0; layer < moeLayers; layer += 1) {
    const base = layer * count;
    for (let m = 0; m < count; m += 1) {
      out[base + m] = sequentialExpert(position, experts, expertParallel);
      position = position + 1 === experts ? 0 : position + 1;
    }
  }
}

/**
 * How many of the checkpoint's saved (layer, expert) pairs each EP rank holds under sequential selection: the
 * N_moe·K positions from P are dealt to ranks in turn (rank = position mod EP, and EP divides N, so wrapping round N
 * keeps the turn), each rank getting ⌊N_moe·K / EP⌋ and the next (N_moe·K mod EP) ranks from P one more. Writes
 * `out[0..EP)`.
 */
export function sequentialOwnerCounts(
  moeLayers: number,
  experts: number,
  expertParallel: number,
  k: number,
  pointer: number,
  out: Float64Array,
): void {
  const ranks = Math.max(1, Math.min(expertParallel, experts));
  const saves = moeLayers * Math.min(k, experts);
  const each = Math.floor(saves / ranks);
  const extra = saves % ranks;
  out.fill(each, 0, ranks);
  const first = (pointer % experts) % ranks;
  for (let turn = 0; turn < extra; turn += 1) {
    const rank = (first + turn) % ranks;
    out[rank] = (out[rank] ?? 0) + 1;
  }
}

/**
 * The rotation start whose checkpoint loads one EP rank the most: over one period of sequential selection, the
 * earliest pointer whose busiest EP rank saves the most experts. The static cost model prices this, the heaviest
 * checkpoint of the rotation. The pointer only decides which ranks take the extra saves (sequentialOwnerCounts), so
 * one pointer per residue mod EP is enough, and every checkpoint of the rotation is in fact as heavy as any other.
 */
export function heaviestSequentialPointer(
  moeLayers: number,
  experts: number,
  expertParallel: number,
  k: number,
  scratch: Float64Array = new Float64Array(expertParallel),
): number {
  const ranks = Math.max(1, Math.min(expertParallel, experts));
  const period = sequentialPeriod(experts, Math.min(k, experts));
  const tried = new Uint8Array(ranks);
  let bestPointer = 0;
  let bestMax = -1;
  for (let checkpoint = 0; checkpoint < period; checkpoint += 1) {
    const pointer = sequentialPointer(checkpoint, k, experts);
    const residue = pointer % ranks;
    if (tried[residue] === 1) continue;
    tried[residue] = 1;
    sequentialOwnerCounts(moeLayers, experts, expertParallel, k, pointer, scratch);
    let max = 0;
    for (let owner = 0; owner < expertParallel; owner += 1) max = Math.max(max, scratch[owner] ?? 0);
    if (max > bestMax) {
      bestMax = max;
      bestPointer = pointer;
    }
  }
  return bestPointer;
}
