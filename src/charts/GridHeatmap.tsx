import { interpolateViridis, scaleSequential } from 'd3';
import { useEffect, useId, useMemo } from 'react';
import { ChartData } from './ChartData';
import { gridSummary } from './gridSummary';
import { themeColour, useCanvas } from './useCanvas';

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
    const colour = scaleSequential(interpolateViridis).domain([0, Math.max(maxValue, 1e-9)]);
    drawing.clearRect(0, 0, size.widthPx, heightPx);
    // Cell edges on whole pixels: 256 columns are rarely a whole number of pixels wide, and anti-aliased fractional
    // edges let the background show through as pale seams between columns. Wide columns (a few experts) get a
    // 1-pixel gap instead, so equal neighbours still read as separate experts.
    const edge = (column: number) => Math.round(GUTTER_PX + column * cellPx);
    const gapPx = cellPx >= 24 ? 1 : 0;
    for (let row = 0; row < rows; row += 1) {
      for (let column = 0; column < columns; column += 1) {
        drawing.fillStyle = colour(Math.min(maxValue, values[row * columns + column] ?? 0));
        drawing.fillRect(edge(column), row * rowPx, edge(column + 1) - edge(column) - gapPx, rowPx);
      }
    }
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
