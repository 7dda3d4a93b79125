/** One entry of the benchmark registry; `run` resolves to the JSON-serialisable result. */
export interface Benchmark {
  name: string;
  run: () => Promise<object>;
}

/** Progress goes to stderr: stdout carries only the final JSON document. */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
