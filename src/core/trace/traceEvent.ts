/**
 * The Chrome Trace Event Format (the JSON that Perfetto and chrome://tracing open): the event shapes MoE Lab
 * writes, and a serialiser. Times are microseconds from the start of the simulated run.
 * Reference: "Trace Event Format" (Google, 2016), the JSON Object Format with `traceEvents`.
 */

/** Arguments shown in a slice's details: plain JSON values only, so the file round-trips. */
export type TraceArgs = Record<string, string | number | boolean>;

/** Process and thread names (`process_name`, `thread_name`) and their display order (`*_sort_index`). */
export interface TraceMetadataEvent {
  ph: 'M';
  name: 'process_name' | 'thread_name' | 'process_sort_index' | 'thread_sort_index';
  pid: number;
  tid: number;
  ts: 0;
  args: { name: string } | { sort_index: number };
}

/** A complete event: a slice from `ts` lasting `dur`, both microseconds. */
export interface TraceCompleteEvent {
  ph: 'X';
  name: string;
  cat: string;
  pid: number;
  tid: number;
  tsUs: number;
  durUs: number;
  args: TraceArgs;
}

/** An instant event; `s: 'g'` draws it across every track, `s: 't'` on its own thread only. */
export interface TraceInstantEvent {
  ph: 'i';
  name: string;
  cat: string;
  pid: number;
  tid: number;
  tsUs: number;
  s: 'g' | 't';
  args: TraceArgs;
}

/** A counter: Perfetto draws each numeric arg as a track of its own, stepping at `ts`. */
export interface TraceCounterEvent {
  ph: 'C';
  name: string;
  pid: number;
  tsUs: number;
  args: Record<string, number>;
}

/** The events as built: times carry their unit in the name until they are written out as `ts` and `dur`. */
export type TraceEventDraft = TraceCompleteEvent | TraceInstantEvent | TraceCounterEvent;

/** One event as written to the file, with the format's own field names (`ts`, `dur` in microseconds). */
export type TraceEventJson =
  | TraceMetadataEvent
  | (Omit<TraceCompleteEvent, 'tsUs' | 'durUs'> & { ts: number; dur: number })
  | (Omit<TraceInstantEvent, 'tsUs'> & { ts: number })
  | (Omit<TraceCounterEvent, 'tsUs'> & { ts: number });

/** A trace file: the JSON Object Format, with MoE Lab's provenance under `metadata`. */
export interface TraceFile {
  traceEvents: TraceEventJson[];
  /** How the viewer labels times; the data stay in microseconds. */
  displayTimeUnit: 'ms' | 'ns';
  metadata: Record<string, unknown>;
}

/**
 * Seconds to microseconds, rounded to the nanosecond: a whole number of nanoseconds over 1,000 prints as the short
 * decimal it is (1234.567, not 1234.5670000000002), which keeps the file small and its bytes easy to compare.
 */
export function microsecondsOf(seconds: number): number {
  return Math.round(seconds * 1e9) / 1000;
}

/**
 * The microseconds from one time to another, both rounded to the nanosecond first and subtracted as whole numbers,
 * so back-to-back slices meet exactly and the duration prints as short as its ends (not 5499999.999999999).
 */
export function microsecondsBetween(fromSeconds: number, toSeconds: number): number {
  return (Math.round(toSeconds * 1e9) - Math.round(fromSeconds * 1e9)) / 1000;
}

/** Whether a draft's times can be written: finite, not before the start, and no negative duration. */
export function isWritable(event: TraceEventDraft): boolean {
  if (!Number.isFinite(event.tsUs) || event.tsUs < 0) return false;
  return event.ph !== 'X' || (Number.isFinite(event.durUs) && event.durUs >= 0);
}

/** The format's field names, in the order a reader expects them: what, where, when, then the details. */
function toJson(event: TraceEventDraft): TraceEventJson {
  switch (event.ph) {
    case 'X': {
      const { ph, name, cat, pid, tid, tsUs, durUs, args } = event;
      return { ph, name, cat, pid, tid, ts: tsUs, dur: durUs, args };
    }
    case 'i': {
      const { ph, name, cat, pid, tid, tsUs, s, args } = event;
      return { ph, name, cat, pid, tid, ts: tsUs, s, args };
    }
    case 'C': {
      const { ph, name, pid, tsUs, args } = event;
      return { ph, name, pid, ts: tsUs, args };
    }
  }
}

/**
 * The trace's events in the order viewers expect: metadata first, then by start time. At the same start a longer
 * slice goes first, so slices on one thread nest; instants and counters count as lasting nothing. Ties keep the
 * order they were built in, so the same run always gives the same order.
 */
export function orderedTraceEvents(
  metadata: readonly TraceMetadataEvent[],
  drafts: readonly TraceEventDraft[],
): TraceEventJson[] {
  const keyed = drafts.map((event, index) => ({ event, index, durUs: event.ph === 'X' ? event.durUs : 0 }));
  keyed.sort((a, b) => a.event.tsUs - b.event.tsUs || b.durUs - a.durUs || a.index - b.index);
  return [...metadata, ...keyed.map(({ event }) => toJson(event))];
}

/**
 * The file's text: one event per line, so a diff of two traces or a glance in an editor reads event by event, at
 * one byte per event over the most compact form. JSON.stringify prints numbers in their shortest round-tripping
 * form, so the same trace gives the same bytes in every engine.
 */
export function traceFileJson(file: TraceFile): string {
  const events = file.traceEvents.map((event) => JSON.stringify(event)).join(',\n');
  return (
    `{"traceEvents":[\n${events}\n],` +
    `"displayTimeUnit":${JSON.stringify(file.displayTimeUnit)},` +
    `"metadata":${JSON.stringify(file.metadata)}}\n`
  );
}
