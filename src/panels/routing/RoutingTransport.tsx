import { useEffect, useRef } from 'react';
import { numericField, readField } from '../../core';
import { FieldControl } from '../../app/FieldControl';
import { useAppState } from '../../state/AppStoreContext';

/** Time each batch stays on screen while playing, so the flow animation can be read. */
export const BATCH_INTERVAL_MS = 1200;

/**
 * Play, pause and step through successive batches. Each batch is part of the scenario (routing.batch), so the link
 * always reproduces the batch on screen; while playing it advances once the previous batch has been routed.
 */
export function RoutingTransport({
  ready,
  updating,
  moeLayers,
  playing,
  setPlaying,
}: {
  ready: boolean;
  /** A batch is on screen but was routed for older settings (the panel dims it meanwhile). */
  updating: boolean;
  moeLayers: number;
  playing: boolean;
  setPlaying: (update: (playing: boolean) => boolean) => void;
}) {
  const scenario = useAppState((state) => state.scenario);
  const setField = useAppState((state) => state.setField);
  const batch = scenario.routing.batch;
  useEffect(() => {
    if (!playing || !ready) return;
    const timer = window.setTimeout(() => setField('routing.batch', batch + 1), BATCH_INTERVAL_MS);
    return () => window.clearTimeout(timer);
  }, [playing, ready, batch, setField]);
  const layerField = numericField('routing.layer');
  // First batch disables itself when pressed: keyboard focus goes to Step (Play while playing) rather than to the page.
  const playButton = useRef<HTMLButtonElement>(null);
  const stepButton = useRef<HTMLButtonElement>(null);
  return (
    <div className="transport" role="group" aria-label="Batches">
      <button
        ref={playButton}
        type="button"
        onClick={() => setPlaying((value) => !value)}
        aria-pressed={playing}
      >
        {playing ? 'Pause' : 'Play'}
      </button>
      <button
        ref={stepButton}
        type="button"
        onClick={() => setField('routing.batch', batch + 1)}
        disabled={playing}
      >
        Step
      </button>
      <button
        type="button"
        onClick={() => {
          setField('routing.batch', 0);
          (playing ? playButton : stepButton).current?.focus();
        }}
        disabled={batch === 0}
      >
        First batch
      </button>
      <span className="transport__batch" aria-live="polite">
        Batch {batch}
        {ready ? '' : updating ? ': Updating…' : ' (routing…)'}
      </span>
      {layerField ? (
        <div className="transport__layer">
          <FieldControl
            field={{
              ...layerField,
              max: Math.max(0, moeLayers - 1),
              help: `MoE layer 0–${moeLayers - 1} shown in the flow and the bars; or click a row of the heatmap.`,
            }}
            value={readField(scenario, layerField)}
            overridden={false}
            onCommit={(raw, options) => setField('routing.layer', raw, options)}
          />
        </div>
      ) : null}
    </div>
  );
}
