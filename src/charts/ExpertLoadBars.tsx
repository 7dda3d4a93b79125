import { max, scaleBand, scaleLinear } from 'd3';
import { useEffect, useId, useMemo, useRef } from 'react';
import { ChartData } from './ChartData';
import { expertIndexTicks } from './expertIndexTicks';
import { expertLoadSummary } from './expertLoadSummary';
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
  /**
   * Under device-level capacity: the experts each device holds (contiguous), so the bars are grouped by device, with
   * each device's mean load per expert, the figure its limit applies to. Undefined under a per-expert limit.
   */
  expertsPerDevice?: number | undefined;
  /** Expanded Drop is in force, so green added pairs can appear and the legend names them. */
  showAdded: boolean;
  meanLoad: number;
  reducedMotion: boolean;
  label: string;
}

const HEIGHT_PX = 234;
/** The bars' baseline: below it, a row of expert numbers, then the caption or GPU labels. */
const BASELINE_PX = HEIGHT_PX - 34;
const TWEEN_MS = 350;
const KEPT = OKABE_ITO[0];
const DROPPED = OKABE_ITO[5];
const ADDED = OKABE_ITO[2];

/**
 * Per-expert bars for one layer: what each expert computes (blue), the overflow the capacity limit drops (vermilion,
 * above it), pairs Expanded Drop added (green), the capacity line (dashed) and the mean load N̄ (dotted). Drawn on a
 * canvas so 256 experts tween at 60 frames per second; "Show the data" under it gives the figures in words and a table
 * of the busiest experts.
 */
export function ExpertLoadBars({
  loads,
  previous,
  capacityLine,
  capacityLabel,
  capacityExplanation,
  expertsPerDevice,
  showAdded,
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
    const y = scaleLinear().domain([0, top]).range([BASELINE_PX, 8]);
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
      const perDevice = expertsPerDevice && expertsPerDevice < experts ? expertsPerDevice : 0;
      const deviceCount = perDevice > 0 ? Math.floor(experts / perDevice) : 0;
      const deviceSpan = (device: number) => {
        const left = x(device * perDevice) ?? 0;
        return { left, right: (x((device + 1) * perDevice - 1) ?? left) + width };
      };
      // Every other device's experts on a faint band, so the groups the device-level limit caps read at a glance.
      for (let device = 1; device < deviceCount; device += 2) {
        const { left, right } = deviceSpan(device);
        drawing.fillStyle = muted;
        drawing.globalAlpha = 0.1;
        drawing.fillRect(left, 8, right - left, y(0) - 8);
        drawing.globalAlpha = 1;
      }
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
      // Each device's mean load per expert before the limit, Σ preDrop / experts on the device: the device drops
      // tokens once it crosses the line (per source device, so a device just under it in total may still drop some).
      drawing.lineWidth = 2.5;
      drawing.setLineDash([]);
      for (let device = 0; device < deviceCount; device += 1) {
        let total = 0;
        for (let expert = device * perDevice; expert < (device + 1) * perDevice; expert += 1)
          total += mix(previous?.preDrop, loads.preDrop, expert);
        const { left, right } = deviceSpan(device);
        drawing.beginPath();
        drawing.moveTo(left, y(total / perDevice));
        drawing.lineTo(right, y(total / perDevice));
        drawing.stroke();
      }
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
      // Sparse expert numbers under their bars, as many as fit without touching.
      drawing.textAlign = 'center';
      for (const expert of expertIndexTicks(experts, x.step())) {
        const centre = (x(expert) ?? 0) + width / 2;
        drawing.fillRect(centre, BASELINE_PX, 1, 3);
        drawing.fillText(String(expert), centre, BASELINE_PX + 13);
      }
      drawing.textAlign = 'left';
      const deviceWidthPx = deviceCount > 0 ? deviceSpan(0).right - deviceSpan(0).left : 0;
      if (deviceCount > 0 && deviceWidthPx >= 44) {
        for (let device = 0; device < deviceCount; device += 1)
          drawing.fillText(`GPU ${device}`, deviceSpan(device).left + 2, HEIGHT_PX - 6);
      } else {
        const devices = deviceCount > 0 ? ` on ${deviceCount} GPUs, ${perDevice} each` : '';
        drawing.fillText(`experts 0–${experts - 1}${devices}`, 40, HEIGHT_PX - 6);
      }
      if (progress < 1) frame.current = requestAnimationFrame(draw);
    };
    frame.current = requestAnimationFrame(draw);
    return () => cancelAnimationFrame(frame.current);
  }, [
    loads,
    previous,
    capacityLine,
    capacityLabel,
    expertsPerDevice,
    meanLoad,
    reducedMotion,
    size.widthPx,
    context,
    ref,
    theme,
  ]);
  const summaryId = useId();
  const data = useMemo(
    () =>
      expertLoadSummary({
        preDrop: loads.preDrop,
        kept: loads.kept,
        capacityLine,
        capacityLabel,
        meanLoad,
        expertsPerDevice,
      }),
    [loads, capacityLine, capacityLabel, meanLoad, expertsPerDevice],
  );
  return (
    <figure className="chart">
      <figcaption>{label}</figcaption>
      <canvas
        ref={ref}
        role="img"
        aria-describedby={summaryId}
        aria-label={`${label}. Bars per expert: computed pairs, dropped overflow above them, the dashed capacity line and the dotted mean${expertsPerDevice ? `; grouped by device, ${expertsPerDevice} experts each, with each device’s mean load per expert` : ''}.`}
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
        {showAdded ? (
          <li>
            <span className="legend__swatch" style={{ background: ADDED }} aria-hidden="true" />
            Added by Expanded Drop
          </li>
        ) : null}
        <li>{capacityLine > 0 ? `– – ${capacityExplanation} ` : ''}· · · mean N̄</li>
        {expertsPerDevice ? (
          <li>━ a device’s mean load per expert: its tokens are dropped once it is above the dashed line</li>
        ) : null}
      </ul>
      <ChartData summaryId={summaryId} summary={data.summary} tables={data.tables} />
    </figure>
  );
}
