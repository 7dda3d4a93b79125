import { curveLinear, curveStepAfter, extent, line, scaleLinear, scaleLog } from 'd3';
import { useId } from 'react';
import { ChartData } from './ChartData';
import { placeEventTicks } from './eventTicks';
import { HorizontalGrid } from './HorizontalGrid';
import { lineChartSummary } from './lineChartSummary';
import { placeMarkLabels } from './markLabels';
import { OKABE_ITO } from './palette';

export interface LineSeries {
  id: string;
  label: string;
  points: readonly { x: number; y: number }[];
  /** A quantity that only changes at its points (holds each value until the next point): drawn as steps. */
  steps?: boolean;
}

/** A moment marked on the x axis: a change of setting, drawn as a labelled tick rising from the axis. */
export interface XEvent {
  x: number;
  /** A few words on the chart ('K 4→8'). */
  label: string;
  /** The event in full, for the data under the chart ('K 4→8 and K_persist 1→2'); default `label`. */
  description?: string;
}

/** The x-axis events of one kind, named for the data under the chart (where none is said too). */
export interface XEvents {
  /** What they are, as a table caption and in the summary ('Dynamic K doublings'). */
  name: string;
  /** The heading of the column that says what happened ('doubled'). */
  column: string;
  items: readonly XEvent[];
}

export interface ReferenceLine {
  axis: 'x' | 'y';
  value: number;
  label: string;
}

interface Props {
  title: string;
  series: readonly LineSeries[];
  xLabel: string;
  /** x's name in a sentence, for the data under the chart ("iteration" in "iteration 1,200"); default xLabel. */
  xName?: string;
  yLabel: string;
  formatX: (value: number) => string;
  formatY: (value: number) => string;
  references?: readonly ReferenceLine[];
  /** Points to mark with a dot and a label (an optimum, the current setting). */
  marks?: readonly { x: number; y: number; label: string }[];
  /** Moments marked on the x axis (dynamic K doubling K), listed in the data under the chart. */
  xEvents?: XEvents;
  logX?: boolean;
  heightPx?: number;
}

const WIDTH = 600;
// The y-axis label sits in the top margin, above the highest tick label.
const MARGIN = { top: 26, right: 16, bottom: 38, left: 64 };
// An x-axis event's label: the first row's baseline above the axis, the step to each further row, and how far above
// its baseline the label's tick ends (about the height of its capitals).
const EVENT_FIRST_ROW_PX = 6;
const EVENT_ROW_PX = 13;
const EVENT_TICK_ABOVE_BASELINE_PX = 9;

/** Whether a positive tick is 1, 2 or 5 times a power of ten. */
function isOneTwoFive(tick: number): boolean {
  const mantissa = tick / 10 ** Math.floor(Math.log10(tick) + 1e-9);
  return [1, 2, 5].some((value) => Math.abs(mantissa - value) < 1e-6);
}

/** An SVG line chart: d3 computes scales and paths, React renders them; labelled for screen readers. */
export function LineChart({
  title,
  series,
  xLabel,
  xName = xLabel,
  yLabel,
  formatX,
  formatY,
  references = [],
  marks = [],
  xEvents,
  logX = false,
  heightPx = 240,
}: Props) {
  const allPoints = series
    .flatMap((each) => each.points)
    .filter((point) => Number.isFinite(point.x) && Number.isFinite(point.y));
  const [xMin = 0, xMax = 1] = extent(allPoints, (point) => point.x);
  const yValues = [
    ...allPoints.map((point) => point.y),
    ...references.filter((ref) => ref.axis === 'y').map((ref) => ref.value),
  ];
  const yMax = Math.max(...yValues, 1e-12);
  const x = (
    logX
      ? scaleLog().domain([Math.max(xMin, 1e-9), Math.max(xMax, xMin * 10, 1e-8)])
      : scaleLinear().domain([xMin, xMax === xMin ? xMin + 1 : xMax])
  )
    .range([MARGIN.left, WIDTH - MARGIN.right])
    .clamp(true);
  const y = scaleLinear()
    .domain([0, yMax * 1.08])
    .nice(4) // the same tick count as the grid, so the top of the scale is a grid line
    .range([heightPx - MARGIN.bottom, MARGIN.top]);
  const path = line<{ x: number; y: number }>()
    .defined((point) => Number.isFinite(point.x) && Number.isFinite(point.y))
    .x((point) => x(point.x))
    .y((point) => y(point.y));
  const summaryId = useId();
  const data = lineChartSummary({
    series,
    xLabel,
    xName,
    yLabel,
    formatX,
    formatY,
    references,
    marks,
    ...(xEvents ? { xEvents } : {}),
  });
  const axisY = heightPx - MARGIN.bottom;
  // Marks close together (the optimum beside the current setting) would print their labels over each other.
  const markPlaces = placeMarkLabels(
    marks.map((mark) => ({ xPx: x(mark.x), yPx: y(mark.y), label: mark.label })),
    { rightPx: WIDTH - MARGIN.right, topPx: MARGIN.top, bottomPx: axisY },
  );
  const eventTicks = xEvents
    ? placeEventTicks(
        xEvents.items.map((event) => ({ xPx: x(event.x), label: event.label })),
        WIDTH - MARGIN.right,
        // As many rows as fit under the top of the plot, leaving a row's height clear there.
        Math.floor((axisY - MARGIN.top - EVENT_FIRST_ROW_PX) / EVENT_ROW_PX) - 1,
      )
    : [];
  // A log axis is labelled at 1, 2 and 5 times each power of ten, the usual choice: evenly spread on the page, where
  // every other of d3's ticks crowded 80 against 100 and 300 against 500.
  const xTicks = logX ? x.ticks(5).filter(isOneTwoFive) : x.ticks(5);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${heightPx}`}
        width="100%"
        role="img"
        aria-label={`${title}. ${yLabel} against ${xLabel}.`}
        aria-describedby={summaryId}
        className="line-chart"
      >
        <HorizontalGrid y={y} left={MARGIN.left} right={WIDTH - MARGIN.right} format={formatY} />
        {xTicks.map((tick) => (
          <text
            key={`x${tick}`}
            x={x(tick)}
            y={heightPx - MARGIN.bottom + 16}
            // A label centred on the last tick would run past the right edge: end it at the tick instead.
            textAnchor={x(tick) > WIDTH - MARGIN.right - 24 ? 'end' : 'middle'}
            className="line-chart__tick"
          >
            {formatX(tick)}
          </text>
        ))}
        <text
          x={(MARGIN.left + WIDTH - MARGIN.right) / 2}
          y={heightPx - 4}
          textAnchor="middle"
          className="line-chart__label"
        >
          {xLabel}
        </text>
        <text x={12} y={MARGIN.top - 12} className="line-chart__label">
          {yLabel}
        </text>
        {references.map((reference) =>
          reference.axis === 'y' ? (
            <g key={reference.label}>
              <line
                x1={MARGIN.left}
                x2={WIDTH - MARGIN.right}
                y1={y(reference.value)}
                y2={y(reference.value)}
                className="line-chart__reference"
              />
              <text
                x={WIDTH - MARGIN.right}
                y={y(reference.value) - 4}
                textAnchor="end"
                className="line-chart__tick"
              >
                {reference.label}
              </text>
            </g>
          ) : (
            <g key={reference.label}>
              <line
                x1={x(reference.value)}
                x2={x(reference.value)}
                y1={MARGIN.top}
                y2={heightPx - MARGIN.bottom}
                className="line-chart__reference"
              />
              <text x={x(reference.value) + 4} y={MARGIN.top + 10} className="line-chart__tick">
                {reference.label}
              </text>
            </g>
          ),
        )}
        {series.map((each, index) => (
          <path
            key={each.id}
            d={path.curve(each.steps ? curveStepAfter : curveLinear)([...each.points]) ?? ''}
            fill="none"
            stroke={OKABE_ITO[index % OKABE_ITO.length]}
            strokeWidth={2}
          />
        ))}
        {/* After the lines, every tick before any label, so a label's halo keeps it legible over whatever it crosses. */}
        {eventTicks.map((tick, index) => (
          <line
            key={`tick${index}`}
            x1={tick.xPx}
            x2={tick.xPx}
            y1={axisY}
            y2={axisY - EVENT_FIRST_ROW_PX - tick.row * EVENT_ROW_PX - EVENT_TICK_ABOVE_BASELINE_PX}
            className="line-chart__event"
          />
        ))}
        {xEvents?.items.map((event, index) => {
          const tick = eventTicks[index];
          return tick ? (
            <text
              key={`label${index}`}
              x={tick.xPx + (tick.anchor === 'start' ? 3 : -3)}
              y={axisY - EVENT_FIRST_ROW_PX - tick.row * EVENT_ROW_PX}
              textAnchor={tick.anchor}
              className="line-chart__event-label"
            >
              {event.label}
            </text>
          ) : null;
        })}
        {marks.map((mark, index) => {
          const place = markPlaces[index];
          return (
            <g key={mark.label}>
              <circle cx={x(mark.x)} cy={y(mark.y)} r={5} className="line-chart__mark" />
              {place ? (
                <text x={place.xPx} y={place.yPx} textAnchor={place.anchor} className="line-chart__tick">
                  {mark.label}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      {series.length > 1 ? (
        <ul className="legend">
          {series.map((each, index) => (
            <li key={each.id}>
              <span
                className="legend__swatch"
                style={{ background: OKABE_ITO[index % OKABE_ITO.length] }}
                aria-hidden="true"
              />
              {each.label}
            </li>
          ))}
        </ul>
      ) : null}
      <ChartData summaryId={summaryId} summary={data.summary} tables={data.tables} />
    </figure>
  );
}
