/**
 * The fault simulation's own expert sets (MoC §3.2, papers.md §1.5). Sequential selection fills its lists with
 * selection.ts's sequentialSelection, the static model's rule, so both save the same experts.
 */

/**
 * The experts one checkpoint (or persist) covers, K per MoE layer: `list` holds them row-major, layer × K, or is
 * null for every expert of every layer (K = N: PEC off, or a K that has grown to N).
 */
export interface ExpertSet {
  k: number;
  list: Int32Array | null;
}

/** Every expert of every layer. */
export function everyExpertSet(experts: number): ExpertSet {
  return { k: experts, list: null };
}

/** A set given as a list, row-major layer × K. */
export function listSet(k: number, list: Int32Array): ExpertSet {
  return { k, list };
}

/** Up to this K, load-aware selection keeps a heap while scoring; above it, it scores first and quickselects. */
const HEAP_LIMIT = 32;

/**
 * Load-aware (MoC §3.2): each MoE layer saves the K experts with the most tokens since their snapshot, counted
 * lazily as share × iterations since the snapshot. Ties go to the expert that comes first in sequential selection's
 * order for this checkpoint (layer j from position P + j·K, dealt across the EP ranks; selection.ts): under uniform
 * routing every score ties, and load-aware then saves exactly what sequential does, interleaved over layers and
 * ranks, rather than the same low-index experts, on the same ranks, in every layer. Writes row-major layer × K into
 * `out` (in an unspecified but deterministic order within a layer). Small K: one fused scan with a size-K min-heap,
 * O(N + insertions · log K); larger K: scores, then selectTop's quickselect, O(N) on average.
 */
export function loadAwareSelection(args: {
  shares: Float64Array;
  saved: Int32Array;
  layers: number;
  experts: number;
  k: number;
  iteration: number;
  /** Sequential selection's pointer P for this checkpoint, and the EP degree: the order ties are broken in. */
  pointer: number;
  expertParallel: number;
  /** Scratch, N long each. */
  heap: Float64Array;
  scratch: Float64Array;
  out: Int32Array;
}): void {
  const { shares, saved, layers, experts, k, iteration, heap, scratch, out } = args;
  // sequentialExpert (selection.ts), inlined: position g is expert (g mod R)·(N/R) + ⌊g/R⌋ for R EP ranks.
  const ranks = Math.max(1, Math.min(args.expertParallel, experts));
  const perRank = experts / ranks;
  const expertAt = (position: number) => (position % ranks) * perRank + Math.floor(position / ranks);
  for (let layer = 0; layer < layers; layer += 1) {
    const base = layer * experts;
    const start = (args.pointer + layer * k) % experts;
    const ids = out.subarray(layer * k, layer * k + k);
    // Candidates are offered by their place p in this layer's sequential order, so an equal score goes to the earlier.
    if (k > HEAP_LIMIT) {
      for (let p = 0; p < experts; p += 1) {
        const expert = expertAt((start + p) % experts);
        heap[p] = shares[base + expert]! * (iteration - saved[base + expert]!);
      }
      selectTop(heap, experts, k, out, layer * k, scratch);
    } else {
      let size = 0;
      for (let p = 0; p < experts; p += 1) {
        const expert = expertAt((start + p) % experts);
        size = offer(heap, ids, size, k, shares[base + expert]! * (iteration - saved[base + expert]!), p);
      }
    }
    for (let m = 0; m < k; m += 1) ids[m] = expertAt((start + ids[m]!) % experts);
  }
}

/**
 * Offers (score, id) to a min-heap of the best `capacity` so far; ids are offered in increasing order, so a later id
 * with an equal score loses the tie. Returns the new size.
 */
function offer(
  heap: Float64Array,
  ids: Int32Array,
  size: number,
  capacity: number,
  score: number,
  id: number,
): number {
  if (size === capacity) {
    if (score > heap[0]!) siftDown(heap, ids, capacity, score, id);
    return size;
  }
  // Sift up: the new id is the highest so far, so on an equal score it is the smaller.
  let slot = size;
  while (slot > 0) {
    const parent = (slot - 1) >> 1;
    if (heap[parent]! < score) break;
    heap[slot] = heap[parent]!;
    ids[slot] = ids[parent]!;
    slot = parent;
  }
  heap[slot] = score;
  ids[slot] = id;
  return size + 1;
}

/**
 * Two-level saving: which K_persist of a snapshot's K experts each MoE layer persists (MoC §5 leaves it open;
 * derived rule): the ones whose persisted copy is oldest (sequential) or holds the most unpersisted tokens
 * (load-aware: share × iterations since the persist), ties to the earlier position in the snapshot's order.
 * Writes row-major layer × K_persist into `out`.
 */
export function persistSelection(args: {
  source: ExpertSet;
  persisted: Int32Array;
  shares: Float64Array;
  loadAware: boolean;
  layers: number;
  experts: number;
  kPersist: number;
  iteration: number;
  heap: Float64Array;
  positions: Int32Array;
  scratch: Float64Array;
  out: Int32Array;
}): void {
  const { source, persisted, shares, loadAware, layers, experts, kPersist, iteration } = args;
  const { heap, positions, scratch, out } = args;
  const k = source.k;
  const list = source.list;
  for (let layer = 0; layer < layers; layer += 1) {
    const base = layer * experts;
    if (kPersist === 1) {
      // The common K_persist = 1 (MoC §5.3's adaptive setting): a plain scan, the first best position wins.
      let best = 0;
      let bestScore = Number.NEGATIVE_INFINITY;
      for (let m = 0; m < k; m += 1) {
        const expert = list ? list[layer * k + m]! : m;
        const age = iteration - persisted[base + expert]!;
        const score = loadAware ? shares[base + expert]! * age : age;
        if (score > bestScore) {
          bestScore = score;
          best = m;
        }
      }
      positions[0] = best;
    } else {
      let size = 0;
      for (let m = 0; m < k; m += 1) {
        const expert = list ? list[layer * k + m]! : m;
        const age = iteration - persisted[base + expert]!;
        const score = loadAware ? shares[base + expert]! * age : age;
        if (kPersist <= HEAP_LIMIT) size = offer(heap, positions, size, kPersist, score, m);
        else heap[m] = score;
      }
      if (kPersist > HEAP_LIMIT) selectTop(heap, k, kPersist, positions, 0, scratch);
    }
    for (let m = 0; m < kPersist; m += 1) {
      const position = positions[m]!;
      out[layer * kPersist + m] = list ? list[layer * k + position]! : position;
    }
  }
}

/** Replaces the root of the size-`size` min-heap (ties: the higher index is the smaller) and restores order. */
function siftDown(heap: Float64Array, ids: Int32Array, size: number, score: number, id: number): void {
  let slot = 0;
  for (;;) {
    let child = 2 * slot + 1;
    if (child >= size) break;
    const right = child + 1;
    if (
      right < size &&
      (heap[right]! < heap[child]! || (heap[right] === heap[child] && ids[right]! > ids[child]!))
    )
      child = right;
    const childScore = heap[child]!;
    if (score < childScore || (score === childScore && id > ids[child]!)) break;
    heap[slot] = childScore;
    ids[slot] = ids[child]!;
    slot = child;
  }
  heap[slot] = score;
  ids[slot] = id;
}

/** target[layer, e] = value for every expert e of `set`. */
export function assignSet(
  target: Int32Array,
  set: ExpertSet,
  layers: number,
  experts: number,
  value: number,
): void {
  const { k, list } = set;
  if (!list || k >= experts) {
    target.fill(value);
    return;
  }
  for (let layer = 0; layer < layers; layer += 1) {
    const base = layer * experts;
    for (let m = 0; m < k; m += 1) target[base + list[layer * k + m]!] = value;
  }
}

/**
 * The `count` largest of scores[0..n), ties to the lower position, written as positions (in increasing order) to
 * out[outOffset..]: a quickselect for the threshold, then two scans. Average O(n).
 */
export function selectTop(
  scores: Float64Array,
  n: number,
  count: number,
  out: Int32Array,
  outOffset: number,
  scratch: Float64Array,
): void {
  if (count >= n) {
    for (let index = 0; index < n; index += 1) out[outOffset + index] = index;
    return;
  }
  if (count <= 0) return;
  for (let index = 0; index < n; index += 1) scratch[index] = scores[index]!;
  const threshold = kthLargest(scratch, n, count - 1);
  let written = 0;
  for (let index = 0; index < n && written < count; index += 1)
    if (scores[index]! > threshold) out[outOffset + written++] = index;
  for (let index = 0; index < n && written < count; index += 1)
    if (scores[index]! === threshold) out[outOffset + written++] = index;
}

/** The (rank+1)-th largest of values[0..n) by Hoare-style quickselect with a median-of-three pivot (reorders values). */
function kthLargest(values: Float64Array, n: number, rank: number): number {
  let low = 0;
  let high = n - 1;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const a = values[low]!;
    const b = values[mid]!;
    const c = values[high]!;
    const pivot = a > b ? (b > c ? b : a > c ? c : a) : a > c ? a : b > c ? c : b;
    let i = low;
    let j = high;
    while (i <= j) {
      while (values[i]! > pivot) i += 1;
      while (values[j]! < pivot) j -= 1;
      if (i <= j) {
        const swap = values[i]!;
        values[i] = values[j]!;
        values[j] = swap;
        i += 1;
        j -= 1;
      }
    }
    if (rank <= j) high = j;
    else if (rank >= i) low = i;
    else return values[rank]!;
  }
  return values[rank]!;
}
