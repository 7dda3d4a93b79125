import { max, scaleBand, scaleLinear } from 'd3';
import { useEffect, useRef } from 'react';
import { OKABE_ITO } from './palette';
import { themeColour, useCanvas } from './useCanvas';

export interface ExpertLoads {
  /** Pairs routed to each expert before the capacity limit, summed over the simulated devices. */
  preDrop: Int32Array;
  /** Pairs each expert computes after the limit. */
  kept: Int32Array;
}

interface Props {
  loads: ExpertLoads;
  previous: ExpertLoads | null;
  /** Aggregate capacity line (devices × C), or 0 when capacity is off. */
  capacityLine: number;
  /** What the capacity line is, drawn beside it ("8 × C") and explained in the legend. */
  capacityLabel: string;
  capacityExplanation: string;
  meanLoad: number;
  reducedMotion: boolean;
  label: string;
}

const HEIGHT_PX = 220;
const TWEEN_MS = 350;
const KEPT = OKABE_ITO[0];
const DROPPED = OKABE_ITO[5];
const ADDED = OKABE_ITO[2];

/**
 * Per-expert bars for one layer: what each expert computes (blue), the overflow the capacity limit drops (vermilion,
 * above it), pairs Expanded Drop added (green), the capacity line (dashed) and the mean load N̄ (dotted). Drawn on a
 * canvas so 256 experts tween at 60 frames per second; the numbers are also in a table for screen readers.
 */
export function ExpertLoadBars({
  loads,
  previous,
  capacityLine,
  capacityLabel,
  capacityExplanation,
  meanLoad,
  reducedMotion,
  label,
}: Props) {
  const { ref, size, context, theme } = useCanvas(HEIGHT_PX);
  const frame = useRef(0);
  useEffect(() => {
    const experts = loads.preDrop.length;
    const top = Math.max(max(loads.preDrop) ?? 0, max(loads.kept) ?? 0, capacityLine, meanLoad, 1) * 1.08;
    const x = scaleBand<number>()
      .domain(Array.from({ length: experts }, (_, index) => index))
      .range([40, size.widthPx - 8])
      .paddingInner(experts > 64 ? 0 : 0.15);
    const y = scaleLinear()
      .domain([0, top])
      .range([HEIGHT_PX - 22, 8]);
    const start = performance.now();
    const draw = (now: number) => {
      const drawing = context();
      if (!drawing) return;
      const progress = reducedMotion || !previous ? 1 : Math.min(1, (now - start) / TWEEN_MS);
      const mix = (from: Int32Array | undefined, to: Int32Array, index: number) =>
        (from?.[index] ?? to[index] ?? 0) * (1 - progress) + (to[index] ?? 0) * progress;
      const text = themeColour(ref.current, '--text', '#1b1f24');
      const muted = themeColour(ref.current, '--text-muted', '#4a5562');
      const background = themeColour(ref.current, '--bg', '#ffffff');
      /** A label that may sit over the bars: a halo of the page background keeps it readable on any bar. */
      const lineLabel = (label: string, colour: string, left: number, baseline: number) => {
        drawing.setLineDash([]);
        drawing.lineJoin = 'round';
        drawing.lineWidth = 3;
        drawing.strokeStyle = background;
        drawing.strokeText(label, left, baseline);
        drawing.fillStyle = colour;
        drawing.fillText(label, left, baseline);
      };
      drawing.clearRect(0, 0, size.widthPx, HEIGHT_PX);
      drawing.font = '11px system-ui, sans-serif';
      drawing.fillStyle = muted;
      for (const tick of y.ticks(4)) {
        drawing.fillText(String(tick), 2, y(tick) + 4);
        drawing.fillRect(38, y(tick), 3, 1);
      }
      const width = Math.max(1, x.bandwidth());
      for (let expert = 0; expert < experts; expert += 1) {
        const left = x(expert) ?? 0;
        const pre = mix(previous?.preDrop, loads.preDrop, expert);
        const kept = mix(previous?.kept, loads.kept, expert);
        const computed = Math.min(pre, kept);
        drawing.fillStyle = KEPT;
        drawing.fillRect(left, y(computed), width, y(0) - y(computed));
        if (pre > kept) {
          drawing.fillStyle = DROPPED;
          drawing.fillRect(left, y(pre), width, y(kept) - y(pre));
        } else if (kept > pre) {
          drawing.fillStyle = ADDED;
          drawing.fillRect(left, y(kept), width, y(pre) - y(kept));
        }
      }
      drawing.strokeStyle = text;
      drawing.lineWidth = 1.5;
      if (capacityLine > 0) {
        drawing.setLineDash([6, 4]);
        drawing.beginPath();
        drawing.moveTo(40, y(capacityLine));
        drawing.lineTo(size.widthPx - 8, y(capacityLine));
        drawing.stroke();
      }
      drawing.setLineDash([2, 3]);
      drawing.beginPath();
      drawing.moveTo(40, y(meanLoad));
      drawing.lineTo(size.widthPx - 8, y(meanLoad));
      drawing.stroke();
      // Labels after both lines, so neither line crosses the other's label.
      if (capacityLine > 0) {
        const labelWidth = drawing.measureText(capacityLabel).width;
        lineLabel(capacityLabel, text, size.widthPx - 12 - labelWidth, y(capacityLine) - 4);
      }
      // Above its line, unless the capacity line runs just above it (γ near 1): then below, so it is not read as C's.
      const capacityGapPx = capacityLine > 0 ? y(meanLoad) - y(capacityLine) : Infinity;
      lineLabel('N̄', text, 42, capacityGapPx > 0 && capacityGapPx < 14 ? y(meanLoad) + 12 : y(meanLoad) - 4);
      drawing.fillStyle = muted;
      drawing.fillText(`experts 0–${experts - 1}`, 40, HEIGHT_PX - 6);
      if (progress < 1) frame.current = requestAnimationFrame(draw);
    };
    frame.current = requestAnimationFrame(draw);
    return () => cancelAnimationFrame(frame.current);
  }, [
    loads,
    previous,
    capacityLine,
    capacityLabel,
    meanLoad,
    reducedMotion,
    size.widthPx,
    context,
    ref,
    theme,
  ]);
  return (
    <figure className="chart">
      <figcaption>{label}</figcaption>
      <canvas
        ref={ref}
        role="img"
        aria-label={`${label}. Bars per expert: computed pairs, dropped overflow above them, the dashed capacity line and the dotted mean.`}
      />
      <ul className="legend">
        <li>
          <span className="legend__swatch" style={{ background: KEPT }} aria-hidden="true" />
          Computed
        </li>
        <li>
          <span className="legend__swatch" style={{ background: DROPPED }} aria-hidden="true" />
          Dropped (over capacity)
        </li>
        <li>
          <span className="legend__swatch" style={{ background: ADDED }} aria-hidden="true" />
          Added by Expanded Drop
        </li>
        <li>– – {capacityExplanation} · · · mean N̄</li>
      </ul>
    </figure>
  );
}
