import { useEffect, useRef, useState } from 'react';
import { numericField, readField } from '../../core';
import { formatInput } from '../../core/format';
import { FieldControl } from '../../app/FieldControl';
import { useAppState } from '../../state/AppStoreContext';

/** Time between playhead steps while playing: each step re-simulates the run up to the new iteration. */
export const STEP_INTERVAL_MS = 600;

/**
 * Shortest time between two announcements of the iteration while playing: a step every 600 ms read out each time
 * would leave a screen reader nothing else to say. Pausing, stepping or moving the playhead announces at once.
 */
export const ANNOUNCE_EVERY_MS = 5000;

/**
 * The position for the live region: at once when not playing, else at most every ANNOUNCE_EVERY_MS (the latest
 * position, when the wait is over).
 */
function useThrottledAnnouncement(text: string, playing: boolean): string {
  const [announced, setAnnounced] = useState(text);
  const lastMs = useRef(Number.NEGATIVE_INFINITY);
  useEffect(() => {
    const now = performance.now();
    const wait = playing ? Math.max(0, lastMs.current + ANNOUNCE_EVERY_MS - now) : 0;
    const timer = window.setTimeout(() => {
      // Only announcements while playing hold back the next one: pressing Play is announced at once.
      lastMs.current = playing ? performance.now() : Number.NEGATIVE_INFINITY;
      setAnnounced(text);
    }, wait);
    return () => window.clearTimeout(timer);
  }, [text, playing]);
  return announced;
}

/**
 * Play, pause and step the iteration shown. It is part of the scenario (checkpoint.viewIteration), so the link
 * reproduces the picture; playing moves it one checkpoint interval per step, once the previous step is drawn.
 */
export function CheckpointTransport({ ready }: { ready: boolean }) {
  const scenario = useAppState((state) => state.scenario);
  const setField = useAppState((state) => state.setField);
  const [playing, setPlaying] = useState(false);
  const { viewIteration, intervalIterations, totalIterations } = scenario.checkpoint;
  const step = Math.max(1, Math.round(Math.max(intervalIterations, totalIterations / 200)));
  const atEnd = viewIteration >= totalIterations;
  useEffect(() => {
    if (!playing || !ready || atEnd) return;
    const timer = window.setTimeout(
      () => setField('checkpoint.viewIteration', Math.min(totalIterations, viewIteration + step)),
      STEP_INTERVAL_MS,
    );
    return () => window.clearTimeout(timer);
  }, [playing, ready, atEnd, viewIteration, step, totalIterations, setField]);
  const viewField = numericField('checkpoint.viewIteration');
  const position = `Iteration ${formatInput(viewIteration, '')} of ${formatInput(totalIterations, '')}`;
  const announcement = useThrottledAnnouncement(
    `${position}${playing && !atEnd ? ', playing' : ''}`,
    playing && !atEnd,
  );
  // A button that disables itself when pressed (Start at the start, Step at the end) would drop keyboard focus to the
  // page: hand it to a button that still works.
  const playButton = useRef<HTMLButtonElement>(null);
  const startButton = useRef<HTMLButtonElement>(null);
  return (
    <div className="transport" role="group" aria-label="Training run">
      <button
        ref={playButton}
        type="button"
        onClick={() => setPlaying((value) => !value)}
        aria-pressed={playing}
        disabled={atEnd && !playing}
      >
        {playing && !atEnd ? 'Pause' : 'Play'}
      </button>
      <button
        type="button"
        onClick={() => {
          const next = Math.min(totalIterations, viewIteration + step);
          setField('checkpoint.viewIteration', next);
          if (next >= totalIterations) startButton.current?.focus();
        }}
        disabled={playing || atEnd}
      >
        Step
      </button>
      <button
        ref={startButton}
        type="button"
        onClick={() => {
          setField('checkpoint.viewIteration', 0);
          playButton.current?.focus();
        }}
        disabled={viewIteration === 0}
      >
        Start
      </button>
      <span className="transport__batch" aria-hidden="true" data-testid="transport-position">
        {position}
        {ready ? '' : ' (simulating…)'}
      </span>
      <span className="visually-hidden" aria-live="polite" data-testid="transport-announcement">
        {announcement}
      </span>
      {viewField ? (
        <div className="transport__layer">
          <FieldControl
            field={{ ...viewField, max: totalIterations }}
            value={readField(scenario, viewField)}
            overridden={false}
            onCommit={(raw, options) => setField('checkpoint.viewIteration', raw, options)}
          />
        </div>
      ) : null}
    </div>
  );
}
