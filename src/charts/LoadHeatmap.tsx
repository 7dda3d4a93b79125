import { interpolateViridis, scaleSequential } from 'd3';
import { useEffect } from 'react';
import { themeColour, useCanvas } from './useCanvas';

interface Props {
  /** Per MoE layer, pre-drop pairs per expert. */
  layers: readonly Int32Array[];
  meanLoad: number;
  focusLayer: number;
  onSelectLayer: (layer: number) => void;
  label: string;
}

/** Loads above this multiple of N̄ share the brightest colour. */
const MAX_RATIO = 4;

/**
 * Layers × experts, each cell coloured by its load relative to N̄ on viridis (perceptually uniform and readable
 * with colour-vision deficiencies). Adjacent layers' hot experts line up when layer correlation is high.
 */
export function LoadHeatmap({ layers, meanLoad, focusLayer, onSelectLayer, label }: Props) {
  const rowPx = Math.max(3, Math.min(12, Math.floor(240 / Math.max(1, layers.length))));
  const heightPx = rowPx * layers.length + 24;
  const { ref, size, context } = useCanvas(heightPx);
  useEffect(() => {
    const drawing = context();
    if (!drawing) return;
    const experts = layers[0]?.length ?? 0;
    const left = 40;
    const cellPx = (size.widthPx - left - 8) / Math.max(1, experts);
    const colour = scaleSequential(interpolateViridis).domain([0, MAX_RATIO]);
    drawing.clearRect(0, 0, size.widthPx, heightPx);
    layers.forEach((loads, layer) => {
      for (let expert = 0; expert < experts; expert += 1) {
        drawing.fillStyle = colour(Math.min(MAX_RATIO, (loads[expert] ?? 0) / Math.max(meanLoad, 1e-9)));
        drawing.fillRect(left + expert * cellPx, layer * rowPx, Math.ceil(cellPx), rowPx);
      }
    });
    const text = themeColour(ref.current, '--text', '#1b1f24');
    drawing.strokeStyle = text;
    drawing.lineWidth = 2;
    drawing.strokeRect(left - 1, focusLayer * rowPx, size.widthPx - left - 7, rowPx);
    drawing.fillStyle = themeColour(ref.current, '--text-muted', '#4a5562');
    drawing.font = '11px system-ui, sans-serif';
    drawing.fillText('layer', 2, 10);
    drawing.fillText(String(layers.length - 1), 2, Math.max(20, layers.length * rowPx - 2));
    drawing.fillText(`experts 0–${experts - 1} · colour = load / N̄ (0 to ${MAX_RATIO}+)`, left, heightPx - 6);
  }, [layers, meanLoad, focusLayer, size.widthPx, heightPx, rowPx, context, ref]);
  return (
    <figure className="chart">
      <figcaption>{label}</figcaption>
      <canvas
        ref={ref}
        role="img"
        aria-label={`${label}: ${layers.length} layers by ${layers[0]?.length ?? 0} experts, coloured by load over the mean. Use the Layer shown control to pick a row.`}
        onClick={(event) => {
          const bounds = event.currentTarget.getBoundingClientRect();
          const layer = Math.floor((event.clientY - bounds.top) / rowPx);
          if (layer >= 0 && layer < layers.length) onSelectLayer(layer);
        }}
      />
    </figure>
  );
}
