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
 * The interleaving stride s of sequential selection: the experts each EP rank holds, N/EP (expert e lives on EP
 * rank ⌊e·EP/N⌋), and 1 when EP ≥ N (each rank holds a shard of one expert).
 */
export function interleaveStride(experts: number, expertParallel: number): number {
  return Math.max(1, Math.floor(experts / Math.max(1, expertParallel)));
}

/**
 * Where MoE layer j's run of K experts starts: (j·s + P) mod N, with s the interleave stride. MoC Fig. 4 has one
 * expert per EP rank (s = 1), where this is the figure's (j + P) mod N and consecutive layers save on consecutive
 * ranks, "interleaved across layers and EP ranks" so that every rank saves alike. With s experts per rank, stepping
 * by s keeps that; stepping by 1 would not (DeepSeek-V3: 58 layers, K = 4 and 32 experts per rank would put every
 * save of a checkpoint on EP ranks 0 and 1).
 */
export function windowStart(layer: number, pointer: number, experts: number, stride: number): number {
  return ((((layer % experts) * stride) % experts) + pointer) % experts;
}

/**
 * Sequential, interleaved selection (MoC §3.2, Fig. 4): MoE layer j saves experts (j·s + P + m) mod N for
 * m = 0..K−1 (see windowStart), where P = c·K at checkpoint c. The rule is derived from Fig. 4 (papers.md §1.5):
 * with K = 1 and one expert per rank it gives exactly the figure's Expert(1-0, 3-1, 5-2, 7-0) then
 * Expert(1-1, 3-2, 5-0, 7-1); K > 1 and s > 1 are its natural extension. Every layer still saves each of its
 * experts once in N/K checkpoints. `pointer` is P (advance it by K per checkpoint; with dynamic K, by the K in force).
 */
export function sequentialSelection(
  moeLayers: number,
  experts: number,
  k: number,
  pointer: number,
  out: Int32Array,
  stride = 1,
): void {
  const count = Math.min(k, experts);
  for (let layer = 0; layer < moeLayers; layer += 1) {
    const start = windowStart(layer, pointer, experts, stride);
    const base = layer * count;
    for (let m = 0; m < count; m += 1) {
      const expert = start + m;
      out[base + m] = expert >= experts ? expert - experts : expert;
    }
  }
}

/** Adds one to the owner count of every expert in [from, to), owner = ⌊expert / perRank⌋, block by block. */
function countRange(from: number, to: number, perRank: number, out: Float64Array): void {
  if (to <= from) return;
  const firstOwner = Math.floor(from / perRank);
  const lastOwner = Math.floor((to - 1) / perRank);
  if (firstOwner === lastOwner) {
    out[firstOwner] = (out[firstOwner] ?? 0) + (to - from);
    return;
  }
  out[firstOwner] = (out[firstOwner] ?? 0) + (firstOwner + 1) * perRank - from;
  for (let owner = firstOwner + 1; owner < lastOwner; owner += 1) out[owner] = (out[owner] ?? 0) + perRank;
  out[lastOwner] = (out[lastOwner] ?? 0) + to - lastOwner * perRank;
}

/**
 * How many of the checkpoint's saved (layer, expert) pairs each EP rank holds under sequential selection: expert
 * x lives on EP rank ⌊x / (N / EP)⌋ (MoC Fig. 4: expert "L-e" on rank e). Writes `out[0..EP)`.
 */
export function sequentialOwnerCounts(
  moeLayers: number,
  experts: number,
  expertParallel: number,
  k: number,
  pointer: number,
  out: Float64Array,
): void {
  const perRank = experts / expertParallel;
  const stride = interleaveStride(experts, expertParallel);
  const count = Math.min(k, experts);
  out.fill(0, 0, expertParallel);
  for (let layer = 0; layer < moeLayers; layer += 1) {
    // Layer j saves the run windowStart(j), …, + K − 1 (mod N): at most two contiguous ranges.
    const start = windowStart(layer, pointer, experts, stride);
    const end = start + count;
    countRange(start, Math.min(end, experts), perRank, out);
    if (end > experts) countRange(0, end - experts, perRank, out);
  }
}

/**
 * The rotation start whose checkpoint loads one EP rank the most: over one period of sequential selection, the
 * earliest pointer whose busiest EP rank saves the most experts. The static cost model prices this, the heaviest
 * checkpoint of the rotation. Moving the pointer by N/EP only renumbers the EP ranks, so one pointer per residue
 * mod N/EP is enough (at most N/EP of them are tried).
 */
export function heaviestSequentialPointer(
  moeLayers: number,
  experts: number,
  expertParallel: number,
  k: number,
  scratch: Float64Array = new Float64Array(expertParallel),
): number {
  const perRank = experts / expertParallel;
  const period = sequentialPeriod(experts, Math.min(k, experts));
  const tried = new Uint8Array(perRank);
  let bestPointer = 0;
  let bestMax = -1;
  for (let checkpoint = 0; checkpoint < period; checkpoint += 1) {
    const pointer = sequentialPointer(checkpoint, k, experts);
    const residue = pointer % perRank;
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

/** Swap two entries of an index buffer. */
function swap(values: Int32Array, a: number, b: number): void {
  const held = values[a] ?? 0;
  values[a] = values[b] ?? 0;
  values[b] = held;
}

/**
 * The `rank`-th largest (0-based) of scores[offset + index[i]] for i in [0, n), by quickselect with a
 * median-of-three pivot (deterministic, no random source). Reorders `index`.
 */
function kthLargest(
  scores: Float64Array,
  offset: number,
  index: Int32Array,
  n: number,
  rank: number,
): number {
  const at = (i: number): number => scores[offset + (index[i] ?? 0)] ?? 0;
  let low = 0;
  let high = n - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    // Median of three as the pivot keeps sorted and reverse-sorted inputs linear.
    if (at(mid) > at(low)) swap(index, mid, low);
    if (at(high) > at(low)) swap(index, high, low);
    if (at(mid) > at(high)) swap(index, mid, high);
    const pivot = at(high);
    let store = low;
    for (let i = low; i < high; i += 1) {
      if (at(i) > pivot) {
        swap(index, i, store);
        store += 1;
      }
    }
    swap(index, store, high);
    if (store === rank) return at(store);
    if (store < rank) low = store + 1;
    else high = store - 1;
  }
  return at(low);
}

/**
 * Load-aware selection (MoC §3.2): in each MoE layer, the K experts with the most tokens since their last save
 * (`unsavedTokens[layer·N + e]`), ties to the lower expert index. Writes each layer's K experts in increasing
 * index order. `scratch` (length ≥ N) avoids an allocation per call. Average O(N) per layer.
 */
export function loadAwareSelection(
  unsavedTokens: Float64Array,
  moeLayers: number,
  experts: number,
  k: number,
  out: Int32Array,
  scratch: Int32Array = new Int32Array(experts),
): void {
  const count = Math.min(k, experts);
  for (let layer = 0; layer < moeLayers; layer += 1) {
    const offset = layer * experts;
    const base = layer * count;
    if (count === experts) {
      for (let e = 0; e < experts; e += 1) out[base + e] = e;
      continue;
    }
    for (let e = 0; e < experts; e += 1) scratch[e] = e;
    const threshold = kthLargest(unsavedTokens, offset, scratch, experts, count - 1);
    let above = 0;
    for (let e = 0; e < experts; e += 1) if ((unsavedTokens[offset + e] ?? 0) > threshold) above += 1;
    // Everything strictly above the K-th largest goes in; the rest of the K are the lowest-index ties.
    let tiesLeft = count - above;
    let written = 0;
    for (let e = 0; e < experts && written < count; e += 1) {
      const tokens = unsavedTokens[offset + e] ?? 0;
      if (tokens > threshold || (tokens === threshold && tiesLeft > 0)) {
        if (tokens === threshold) tiesLeft -= 1;
        out[base + written] = e;
        written += 1;
      }
    }
  }
}
