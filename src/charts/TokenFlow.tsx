import { bisectRight, cumsum } from 'd3';
import { useEffect, useId, useMemo, useRef } from 'react';
import { createRandom } from '../core';
import { formatInput } from '../core/format';
import { ChartData } from './ChartData';
import { OKABE_ITO } from './palette';
import { tokenFlowSummary } from './tokenFlowSummary';
import { context2d, themeColour, useCanvas } from './useCanvas';

interface Props {
  /** Source devices × experts, before and after the capacity limit. */
  preDropFlow: Int32Array;
  keptFlow: Int32Array;
  devices: number;
  experts: number;
  /** Animate moving dots; off for reduced motion (the aggregate lines stay). */
  animate: boolean;
  seed: number;
  label: string;
}

const HEIGHT_PX = 260;
/** Dots on screen at once: enough to read the flows, few enough to draw at 60 fps whatever the batch size. */
export const MAX_DOTS = 320;
const LIFETIME_MS = 1400;

interface Dot {
  device: number;
  expert: number;
  dropped: boolean;
  bornMs: number;
}

/**
 * Tokens flowing from source devices (left) to experts (right). Lines show every device→expert flow with opacity
 * proportional to its pairs (the exact aggregate); moving dots are a sample drawn in proportion to the counts, so
 * each stands for many pairs. Dropped pairs stop at the capacity gate in front of their expert.
 */
export function TokenFlow({ preDropFlow, keptFlow, devices, experts, animate, seed, label }: Props) {
  const { ref, size, context, theme } = useCanvas(HEIGHT_PX);
  const frame = useRef(0);
  const dots = useRef<Dot[]>([]);
  const totalPairs = useMemo(() => preDropFlow.reduce((sum, value) => sum + value, 0), [preDropFlow]);
  /** Per expert, summed over devices: pairs routed to it and pairs it computed (the column's bars). */
  const expertLoads = useMemo(() => {
    const routed = new Float64Array(experts);
    const kept = new Float64Array(experts);
    for (let index = 0; index < devices * experts; index += 1) {
      routed[index % experts]! += preDropFlow[index] ?? 0;
      kept[index % experts]! += Math.min(keptFlow[index] ?? 0, preDropFlow[index] ?? 0);
    }
    return { routed, kept, largest: Math.max(1, ...routed) };
  }, [preDropFlow, keptFlow, devices, experts]);
  const flows = useMemo(() => {
    // Two entries per device→expert pair: computed, then dropped. The cumulative sum lets a uniform draw pick a flow.
    const weights = new Float64Array(devices * experts * 2);
    for (let index = 0; index < devices * experts; index += 1) {
      const kept = Math.min(keptFlow[index] ?? 0, preDropFlow[index] ?? 0);
      weights[index * 2] = kept;
      weights[index * 2 + 1] = Math.max(0, (preDropFlow[index] ?? 0) - kept);
    }
    return cumsum(weights);
  }, [preDropFlow, keptFlow, devices, experts]);

  useEffect(() => {
    const canvas = ref.current;
    const drawing = context();
    if (!canvas || !drawing) return;
    const geometry = flowGeometry(size.widthPx, devices, experts);
    const colours = {
      text: themeColour(canvas, '--text', '#1b1f24'),
      muted: themeColour(canvas, '--text-muted', '#4a5562'),
    };
    // The aggregate (2,048 faint lines for DeepSeek-V3 on 8 devices, the load bars, the labels) changes only with the
    // data, so it is drawn once into a canvas of its own and copied in each frame under the moving dots: stroking
    // every line each frame took about half of a frame's 16.7 ms in software rendering.
    const aggregate = aggregateLayer(canvas, (layer) =>
      drawAggregate(layer, geometry, colours, { preDropFlow, expertLoads, devices, experts }),
    );
    const random = createRandom(seed);
    const total = flows[flows.length - 1] ?? 0;
    dots.current = [];
    let lastSpawnMs = performance.now();
    const spawnEveryMs = LIFETIME_MS / MAX_DOTS;
    const draw = (now: number) => {
      drawing.clearRect(0, 0, geometry.widthPx, HEIGHT_PX);
      if (aggregate) {
        // Copied pixel for pixel: the layer has the canvas's own size, so the copy is not scaled again.
        drawing.save();
        drawing.setTransform(1, 0, 0, 1, 0, 0);
        drawing.drawImage(aggregate, 0, 0);
        drawing.restore();
      } else drawAggregate(drawing, geometry, colours, { preDropFlow, expertLoads, devices, experts });
      if (!animate || total <= 0) return;
      while (now - lastSpawnMs >= spawnEveryMs) {
        lastSpawnMs += spawnEveryMs;
        const index = Math.min(flows.length - 1, bisectRight(flows, random.next() * total));
        const pair = index >> 1;
        dots.current.push({
          device: Math.floor(pair / experts),
          expert: pair % experts,
          dropped: (index & 1) === 1,
          bornMs: lastSpawnMs,
        });
      }
      dots.current = dots.current.filter((dot) => now - dot.bornMs < LIFETIME_MS).slice(-MAX_DOTS);
      const { deviceX, expertX, gateX, deviceY, expertY } = geometry;
      for (const dot of dots.current) {
        const progress = (now - dot.bornMs) / LIFETIME_MS;
        // Along the line to the gate (t ≤ 1); kept dots then cross into their expert, dropped ones stop and fade.
        const travel = progress * 1.15;
        const startY = deviceY(dot.device);
        const endY = expertY(dot.expert);
        const alongLine = Math.min(1, travel);
        let xPx = deviceX + (gateX - deviceX) * alongLine;
        const yPx = startY + (endY - startY) * alongLine;
        if (travel > 1 && !dot.dropped) xPx = gateX + (expertX - gateX) * Math.min(1, (travel - 1) / 0.15);
        drawing.fillStyle = dot.dropped ? OKABE_ITO[5] : OKABE_ITO[0];
        drawing.globalAlpha = dot.dropped && travel >= 1 ? Math.max(0, 1 - (travel - 1) * 6) : 1;
        drawing.beginPath();
        drawing.arc(xPx, yPx, dot.dropped ? 3 : 2.5, 0, Math.PI * 2);
        drawing.fill();
      }
      drawing.globalAlpha = 1;
      frame.current = requestAnimationFrame(draw);
    };
    frame.current = requestAnimationFrame(draw);
    return () => cancelAnimationFrame(frame.current);
  }, [flows, preDropFlow, expertLoads, devices, experts, animate, seed, size.widthPx, context, ref, theme]);

  const pairsPerDot = Math.max(1, Math.round(totalPairs / MAX_DOTS));
  const summaryId = useId();
  const data = useMemo(
    () => tokenFlowSummary(preDropFlow, keptFlow, devices, experts),
    [preDropFlow, keptFlow, devices, experts],
  );
  return (
    <figure className="chart">
      <figcaption>{label}</figcaption>
      <canvas
        ref={ref}
        role="img"
        aria-describedby={summaryId}
        aria-label={`${label}: ${formatInput(totalPairs, '')} token-expert pairs from ${devices} devices to ${experts} experts.`}
      />
      <p className="chart__note">
        Lines: every device→expert flow, darker for more pairs. Dots: a sample in proportion to the counts,
        each standing for about {pairsPerDot} token-expert pair{pairsPerDot === 1 ? '' : 's'}; vermilion dots
        are dropped at the capacity gate. Bars at the right: each expert’s load, its dropped part in
        vermilion.
        {animate ? '' : ' Motion is reduced, so only the aggregate is drawn.'}
      </p>
      <ChartData summaryId={summaryId} summary={data.summary} tables={data.tables} />
    </figure>
  );
}

interface FlowGeometry {
  widthPx: number;
  deviceX: number;
  expertX: number;
  gateX: number;
  deviceY: (device: number) => number;
  expertY: (expert: number) => number;
}

/** Where devices, the capacity gate and experts sit, in CSS pixels. */
function flowGeometry(widthPx: number, devices: number, experts: number): FlowGeometry {
  const expertX = widthPx - 60;
  return {
    widthPx,
    deviceX: 70,
    expertX,
    gateX: expertX - 18,
    deviceY: (device) => 12 + ((HEIGHT_PX - 24) * (device + 0.5)) / devices,
    expertY: (expert) => 12 + ((HEIGHT_PX - 24) * (expert + 0.5)) / experts,
  };
}

/**
 * A canvas the size of `canvas` (in device pixels) with `paint` drawn on it in CSS pixels, or null where no 2D
 * context can be had (jsdom), in which case the caller draws the aggregate itself.
 */
function aggregateLayer(
  canvas: HTMLCanvasElement,
  paint: (layer: CanvasRenderingContext2D) => void,
): HTMLCanvasElement | null {
  const layer = document.createElement('canvas');
  layer.width = canvas.width;
  layer.height = canvas.height;
  const drawing = context2d(layer);
  if (!drawing) return null;
  const ratio = canvas.width / Math.max(1, canvas.clientWidth || canvas.width);
  drawing.setTransform(ratio, 0, 0, ratio, 0, 0);
  paint(drawing);
  return layer;
}

/**
 * The aggregate under the dots: one faint line per device→expert flow, opacity by its share of the largest flow;
 * the device ticks; each expert's load as a bar (computed pairs, then the dropped rest in vermilion); the gate.
 */
function drawAggregate(
  drawing: CanvasRenderingContext2D,
  geometry: FlowGeometry,
  colours: { text: string; muted: string },
  data: {
    preDropFlow: Int32Array;
    expertLoads: { routed: Float64Array; kept: Float64Array; largest: number };
    devices: number;
    experts: number;
  },
): void {
  const { widthPx, deviceX, expertX, gateX, deviceY, expertY } = geometry;
  const { preDropFlow, expertLoads, devices, experts } = data;
  let largest = 1;
  for (let index = 0; index < devices * experts; index += 1)
    largest = Math.max(largest, preDropFlow[index] ?? 0);
  drawing.strokeStyle = OKABE_ITO[0];
  for (let device = 0; device < devices; device += 1) {
    for (let expert = 0; expert < experts; expert += 1) {
      const flow = preDropFlow[device * experts + expert] ?? 0;
      if (flow === 0) continue;
      drawing.globalAlpha = 0.05 + 0.35 * (flow / largest);
      drawing.beginPath();
      drawing.moveTo(deviceX, deviceY(device));
      drawing.lineTo(gateX, expertY(expert));
      drawing.stroke();
    }
  }
  drawing.globalAlpha = 1;
  drawing.fillStyle = colours.muted;
  drawing.font = '11px system-ui, sans-serif';
  drawing.fillText(`${devices} device${devices === 1 ? '' : 's'}`, 4, 10);
  // Right-aligned to the expert column's right edge, so the label is never clipped by the canvas.
  drawing.textAlign = 'right';
  drawing.fillText(`${experts} experts`, widthPx - 4, 10);
  drawing.textAlign = 'left';
  for (let device = 0; device < devices; device += 1)
    drawing.fillRect(deviceX - 8, deviceY(device) - 2, 8, 4);
  // With hundreds of experts the bars merge into a load profile instead of a solid block.
  const barSpanPx = widthPx - 6 - expertX;
  const barHeightPx = Math.max(1, Math.min(4, (HEIGHT_PX - 24) / experts - 1));
  for (let expert = 0; expert < experts; expert += 1) {
    const keptPx = 2 + (barSpanPx - 2) * ((expertLoads.kept[expert] ?? 0) / expertLoads.largest);
    const routedPx = 2 + (barSpanPx - 2) * ((expertLoads.routed[expert] ?? 0) / expertLoads.largest);
    const top = expertY(expert) - barHeightPx / 2;
    drawing.fillStyle = colours.text;
    drawing.fillRect(expertX, top, keptPx, barHeightPx);
    if (routedPx > keptPx) {
      drawing.fillStyle = OKABE_ITO[5];
      drawing.fillRect(expertX + keptPx, top, routedPx - keptPx, barHeightPx);
    }
  }
  drawing.fillStyle = colours.muted;
  drawing.fillRect(gateX, 10, 2, HEIGHT_PX - 20);
}
