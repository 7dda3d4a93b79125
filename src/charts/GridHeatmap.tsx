import { interpolateViridis, scaleSequential } from 'd3';
import { useEffect } from 'react';
import { themeColour, useCanvas } from './useCanvas';

interface Props {
  title: string;
  rows: number;
  columns: number;
  /** rows × columns values, row-major. */
  values: Int32Array | Float64Array;
  /** The value that gets the brightest colour; larger values share it. */
  maxValue: number;
  rowLabel: string;
  columnLabel: string;
  legend: string;
}

/**
 * A rows × columns grid coloured on viridis (perceptually uniform, readable with colour-vision deficiencies), on a
 * canvas so 61 layers × 256 experts redraw cheaply.
 */
export function GridHeatmap({
  title,
  rows,
  columns,
  values,
  maxValue,
  rowLabel,
  columnLabel,
  legend,
}: Props) {
  const rowPx = Math.max(3, Math.min(12, Math.floor(240 / Math.max(1, rows))));
  const heightPx = rowPx * rows + 24;
  const { ref, size, context } = useCanvas(heightPx);
  useEffect(() => {
    const drawing = context();
    if (!drawing) return;
    const left = 40;
    const cellPx = (size.widthPx - left - 8) / Math.max(1, columns);
    const colour = scaleSequential(interpolateViridis).domain([0, Math.max(maxValue, 1e-9)]);
    drawing.clearRect(0, 0, size.widthPx, heightPx);
    for (let row = 0; row < rows; row += 1) {
      for (let column = 0; column < columns; column += 1) {
        drawing.fillStyle = colour(Math.min(maxValue, values[row * columns + column] ?? 0));
        drawing.fillRect(left + column * cellPx, row * rowPx, Math.ceil(cellPx), rowPx);
      }
    }
    drawing.fillStyle = themeColour(ref.current, '--text-muted', '#4a5562');
    drawing.font = '11px system-ui, sans-serif';
    drawing.fillText(rowLabel, 2, 10);
    drawing.fillText(`${columnLabel} · ${legend}`, left, heightPx - 6);
  }, [
    values,
    rows,
    columns,
    maxValue,
    rowLabel,
    columnLabel,
    legend,
    size.widthPx,
    heightPx,
    rowPx,
    context,
    ref,
  ]);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <canvas
        ref={ref}
        role="img"
        aria-label={`${title}: ${rows} ${rowLabel}s by ${columns} ${columnLabel}; ${legend}.`}
      />
    </figure>
  );
}
