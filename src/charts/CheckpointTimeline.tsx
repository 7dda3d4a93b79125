import { scaleLinear } from 'd3';
import { useEffect, useId, useMemo } from 'react';
import type { RunEvent } from '../core/checkpoint/runTypes';
import { ChartData } from './ChartData';
import { OKABE_ITO } from './palette';
import { timelineSummary } from './timelineSummary';
import { themeColour, useCanvas } from './useCanvas';

interface Props {
  events: readonly RunEvent[];
  /** Every fault's wall-clock second: the fault lane marks them all, where `events` keeps the first faults' bars. */
  faultSeconds: readonly number[];
  /** Wall-clock window shown, seconds from the start of the run. */
  fromSeconds: number;
  toSeconds: number;
  /** The playhead, wall-clock seconds. */
  nowSeconds: number;
  label: string;
}

const LANES = [
  { id: 'training', label: 'Training', kinds: ['checkpoint', 'rollback'] },
  { id: 'snapshot', label: 'Snapshot', kinds: ['snapshot'] },
  { id: 'persist', label: 'Persist', kinds: ['persist'] },
  { id: 'faults', label: 'Faults', kinds: ['fault', 'restart'] },
] as const;

const COLOURS: Record<RunEvent['kind'], string> = {
  checkpoint: OKABE_ITO[1],
  snapshot: OKABE_ITO[0],
  persist: OKABE_ITO[2],
  fault: OKABE_ITO[5],
  restart: OKABE_ITO[3],
  rollback: OKABE_ITO[5],
};

const HEIGHT_PX = 150;
const LANE_PX = 28;
const LEFT_PX = 74;

/**
 * The training timeline in wall-clock time: the training lane (checkpoint stalls and rollbacks on it), the
 * snapshot and persist lanes, and faults with their restarts. Everything in the window is drawn exactly; the
 * playhead marks the iteration shown.
 */
export function CheckpointTimeline({
  events,
  faultSeconds,
  fromSeconds,
  toSeconds,
  nowSeconds,
  label,
}: Props) {
  const { ref, size, context, theme } = useCanvas(HEIGHT_PX);
  useEffect(() => {
    const drawing = context();
    if (!drawing) return;
    const x = scaleLinear()
      .domain([fromSeconds, Math.max(toSeconds, fromSeconds + 1e-9)])
      .range([LEFT_PX, size.widthPx - 8])
      .clamp(true);
    const text = themeColour(ref.current, '--text', '#1b1f24');
    const muted = themeColour(ref.current, '--text-muted', '#4a5562');
    const track = themeColour(ref.current, '--track', '#e3e8ed');
    drawing.clearRect(0, 0, size.widthPx, HEIGHT_PX);
    drawing.font = '11px system-ui, sans-serif';
    LANES.forEach((lane, index) => {
      const top = 6 + index * LANE_PX;
      drawing.fillStyle = muted;
      drawing.fillText(lane.label, 4, top + 15);
      drawing.fillStyle = track;
      drawing.fillRect(LEFT_PX, top + 4, size.widthPx - LEFT_PX - 8, LANE_PX - 10);
      for (const event of events) {
        // Faults are marked from faultSeconds below, which has all of them.
        if (event.kind === 'fault' || !(lane.kinds as readonly string[]).includes(event.kind)) continue;
        const end = event.startSeconds + event.durationSeconds;
        if (end < fromSeconds || event.startSeconds > toSeconds) continue;
        const left = x(event.startSeconds);
        drawing.globalAlpha = event.discarded ? 0.35 : 1;
        if (event.kind === 'checkpoint' && event.durationSeconds === 0) {
          // A checkpoint whose save is hidden (asynchronous, Eq. 10 gives O_save = 0): marked, but not as a stall.
          drawing.fillStyle = muted;
          drawing.fillRect(left, top + 4, 1, (LANE_PX - 10) / 2);
          continue;
        }
        const width = Math.max(1.5, x(end) - left);
        drawing.fillStyle = COLOURS[event.kind];
        drawing.fillRect(left, top + 4, width, LANE_PX - 10);
      }
      drawing.globalAlpha = 1;
      if (lane.id !== 'faults') return;
      drawing.fillStyle = COLOURS.fault;
      for (const second of faultSeconds) {
        if (second < fromSeconds || second > toSeconds) continue;
        const left = x(second);
        drawing.fillRect(left, top + 4, 3, LANE_PX - 10);
        drawing.fillText('✕', left - 3, top + 2);
      }
    });
    const playhead = x(nowSeconds);
    drawing.strokeStyle = text;
    drawing.lineWidth = 2;
    drawing.beginPath();
    drawing.moveTo(playhead, 2);
    drawing.lineTo(playhead, LANES.length * LANE_PX + 6);
    drawing.stroke();
    drawing.fillStyle = muted;
    const span = toSeconds - fromSeconds;
    const unit = span > 7200 ? 3600 : span > 120 ? 60 : 1;
    const unitLabel = unit === 3600 ? 'h' : unit === 60 ? 'min' : 's';
    for (const tick of x.ticks(6)) {
      const text = `${Number((tick / unit).toFixed(1))} ${unitLabel}`;
      // Centred on its tick, but kept inside the canvas: the last tick's label was cut off at the right edge.
      const width = drawing.measureText(text).width;
      const left = Math.min(Math.max(0, x(tick) - width / 2), size.widthPx - width - 2);
      drawing.fillText(text, left, HEIGHT_PX - 4);
    }
  }, [events, faultSeconds, fromSeconds, toSeconds, nowSeconds, size.widthPx, context, ref, theme]);
  const summaryId = useId();
  const data = useMemo(
    () => timelineSummary(events, fromSeconds, toSeconds, faultSeconds),
    [events, fromSeconds, toSeconds, faultSeconds],
  );
  return (
    <figure className="chart">
      <figcaption>{label}</figcaption>
      <canvas
        ref={ref}
        role="img"
        aria-describedby={summaryId}
        aria-label={`${label}: lanes for training, snapshot, persist and faults over wall-clock time, with the playhead at the iteration shown.`}
      />
      <ul className="legend">
        <li>
          <span className="legend__tick" aria-hidden="true" />
          Checkpoint, no stall
        </li>
        {(['checkpoint', 'snapshot', 'persist', 'fault', 'restart'] as const).map((kind) => (
          <li key={kind}>
            <span className="legend__swatch" style={{ background: COLOURS[kind] }} aria-hidden="true" />
            {kind === 'checkpoint'
              ? 'Checkpoint stall'
              : kind === 'fault'
                ? 'Fault and rollback'
                : kind[0]?.toUpperCase() + kind.slice(1)}
          </li>
        ))}
      </ul>
      <ChartData summaryId={summaryId} summary={data.summary} tables={data.tables} />
    </figure>
  );
}
