import { color, interpolateViridis } from 'd3';
import { useEffect, useId, useMemo } from 'react';
import { ChartData } from './ChartData';
import { gridSummary } from './gridSummary';
import { context2d, themeColour, useCanvas } from './useCanvas';

interface Props {
  title: string;
  rows: number;
  columns: number;
  /** rows × columns values, row-major. */
  values: Int32Array | Float64Array;
  /** The value that gets the brightest colour; larger values share it. */
  maxValue: number;
  /** What a row is, singular and short ("layer"): it heads the row-number gutter. */
  rowLabel: string;
  columnLabel: string;
  legend: string;
  /** A row to outline, and what a click on a row selects (both optional). */
  focusRow?: number;
  onSelectRow?: (row: number) => void;
  /** Replaces the default screen-reader description. */
  description?: string;
  /** The colour scale's two ends, drawn under the grid (default: 0 and the brightest value, "+" for above it). */
  scaleEnds?: [string, string];
  /** What a value is ("load", "staleness") and how to write one, for the data under the grid. */
  valueName: string;
  formatValue: (value: number) => string;
}

/** The colour scale as a CSS gradient, for the key under the grid. */
const VIRIDIS_GRADIENT = `linear-gradient(to right, ${Array.from({ length: 11 }, (_, stop) =>
  interpolateViridis(stop / 10),
).join(', ')})`;

/**
 * viridis as RGB bytes at 256 points. d3's interpolateViridis is a ramp of 256 colours that takes entry ⌊256·t⌋, so
 * reading this table at the same index gives every cell exactly the colour d3 would.
 */
const VIRIDIS_RGB = Uint8ClampedArray.from({ length: 256 * 3 }, (_, index) => {
  const rgb = color(interpolateViridis(Math.floor(index / 3) / 255))?.rgb();
  return rgb ? [rgb.r, rgb.g, rgb.b][index % 3]! : 0;
});

/** The cells as an image of one pixel each (row-major, viridis from 0 to maxValue), or null without a 2D context. */
function cellImage(
  values: Int32Array | Float64Array,
  rows: number,
  columns: number,
  maxValue: number,
): HTMLCanvasElement | null {
  const image = document.createElement('canvas');
  image.width = Math.max(1, columns);
  image.height = Math.max(1, rows);
  const drawing = context2d(image);
  if (!drawing) return null;
  const pixels = drawing.createImageData(image.width, image.height);
  const top = Math.max(maxValue, 1e-9);
  for (let cell = 0; cell < rows * columns; cell += 1) {
    const share = Math.min(maxValue, values[cell] ?? 0) / top;
    const entry = Math.max(0, Math.min(255, Math.floor(share * 256))) * 3;
    pixels.data[cell * 4] = VIRIDIS_RGB[entry]!;
    pixels.data[cell * 4 + 1] = VIRIDIS_RGB[entry + 1]!;
    pixels.data[cell * 4 + 2] = VIRIDIS_RGB[entry + 2]!;
    pixels.data[cell * 4 + 3] = 255;
  }
  drawing.putImageData(pixels, 0, 0);
  return image;
}

/** Width of the row-number gutter left of the cells, in CSS pixels. */
const GUTTER_PX = 40;

/**
 * A rows × columns grid coloured on viridis (perceptually uniform, readable with colour-vision deficiencies), on a
 * canvas so 61 layers × 256 experts redraw cheaply. Row numbers sit in a gutter, never over the cells.
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
  focusRow,
  onSelectRow,
  description,
  scaleEnds = ['0', `${maxValue}+`],
  valueName,
  formatValue,
}: Props) {
  const rowPx = Math.max(3, Math.min(12, Math.floor(240 / Math.max(1, rows))));
  const heightPx = rowPx * rows + 24;
  const { ref, size, context, theme } = useCanvas(heightPx);
  useEffect(() => {
    const drawing = context();
    if (!drawing) return;
    const cellPx = (size.widthPx - GUTTER_PX - 8) / Math.max(1, columns);
    drawing.clearRect(0, 0, size.widthPx, heightPx);
    // One pixel per cell in a small image, scaled up without smoothing: a cell's edges then fall on whole pixels (256
    // columns are rarely a whole number of pixels wide, and anti-aliased fractional edges let the background show
    // through as pale seams), and a 61 × 256 grid is one copy instead of 15,616 fills, which took a frame's budget.
    const cells = cellImage(values, rows, columns, maxValue);
    if (cells) {
      drawing.imageSmoothingEnabled = false;
      drawing.drawImage(cells, GUTTER_PX, 0, columns * cellPx, rows * rowPx);
    }
    // Wide columns (a few experts) get a 1-pixel gap, so equal neighbours still read as separate experts.
    if (cellPx >= 24)
      for (let column = 1; column <= columns; column += 1)
        drawing.clearRect(Math.round(GUTTER_PX + column * cellPx) - 1, 0, 1, rows * rowPx);
    if (focusRow !== undefined && focusRow >= 0 && focusRow < rows) {
      drawing.strokeStyle = themeColour(ref.current, '--text', '#1b1f24');
      drawing.lineWidth = 2;
      drawing.strokeRect(GUTTER_PX - 1, focusRow * rowPx, size.widthPx - GUTTER_PX - 7, rowPx);
    }
    drawing.fillStyle = themeColour(ref.current, '--text-muted', '#4a5562');
    drawing.font = '11px system-ui, sans-serif';
    drawing.textAlign = 'right';
    const numberX = GUTTER_PX - 6;
    drawing.fillText(rowLabel, numberX, 10);
    // Row 0 is the top row; the last row's number marks the bottom.
    if (rows > 1) drawing.fillText(String(rows - 1), numberX, Math.max(22, rows * rowPx - 1));
    drawing.textAlign = 'left';
    // On a narrow canvas the legend would be cut off: the colour key under the grid and the label say it already.
    const axis = `${columnLabel} 0–${columns - 1}`;
    const full = `${axis} · ${legend}`;
    const fits = drawing.measureText(full).width <= size.widthPx - GUTTER_PX;
    drawing.fillText(fits ? full : axis, GUTTER_PX, heightPx - 6);
  }, [
    values,
    rows,
    columns,
    maxValue,
    rowLabel,
    columnLabel,
    legend,
    focusRow,
    size.widthPx,
    heightPx,
    rowPx,
    context,
    ref,
    theme,
  ]);
  const summaryId = useId();
  const data = useMemo(
    () =>
      gridSummary({
        rows,
        columns,
        values,
        rowName: rowLabel,
        // The column label is plural ("experts"), as drawn under the grid; a single cell names one.
        columnName: columnLabel.replace(/s$/, ''),
        valueName,
        formatValue,
      }),
    [rows, columns, values, rowLabel, columnLabel, valueName, formatValue],
  );
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <canvas
        ref={ref}
        role="img"
        aria-describedby={summaryId}
        aria-label={description ?? `${title}: ${rows} ${rowLabel}s by ${columns} ${columnLabel}; ${legend}.`}
        onClick={
          onSelectRow
            ? (event) => {
                const bounds = event.currentTarget.getBoundingClientRect();
                const row = Math.floor((event.clientY - bounds.top) / rowPx);
                if (row >= 0 && row < rows) onSelectRow(row);
              }
            : undefined
        }
      />
      <div className="heatmap-scale" aria-hidden="true">
        <span>{scaleEnds[0]}</span>
        <span className="heatmap-scale__bar" style={{ background: VIRIDIS_GRADIENT }} />
        <span>{scaleEnds[1]}</span>
      </div>
      <ChartData summaryId={summaryId} summary={data.summary} tables={data.tables} />
    </figure>
  );
}
