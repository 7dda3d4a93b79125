import { OKABE_ITO } from './palette';
import { stackLayout } from './stackLayout';

export interface Segment {
  id: string;
  label: string;
  value: number;
  /** Formatted value for the legend. */
  display: string;
}

interface Props {
  title: string;
  segments: readonly Segment[];
  /** The bar's full length in the same unit (defaults to the sum of the segments). */
  total?: number;
  heightPx?: number;
}

/** A single horizontal stacked bar: d3 computes the positions, React renders the SVG, a legend names every segment. */
export function StackedBar({ title, segments, total, heightPx = 22 }: Props) {
  const layout = stackLayout(
    segments.map((segment) => segment.value),
    total,
  );
  const rects = segments.map((segment, index) => ({
    ...segment,
    ...(layout[index] ?? { xPercent: 0, widthPercent: 0 }),
    color: OKABE_ITO[index % OKABE_ITO.length] ?? '#000',
  }));
  const description = segments.map((segment) => `${segment.label} ${segment.display}`).join(', ');
  return (
    <figure className="stacked-bar">
      <figcaption>{title}</figcaption>
      <svg
        width="100%"
        height={heightPx}
        viewBox={`0 0 100 ${heightPx}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`${title}: ${description}`}
      >
        <rect x={0} y={0} width={100} height={heightPx} className="stacked-bar__track" />
        {rects.map((rect) => (
          <rect
            key={rect.id}
            x={rect.xPercent}
            y={0}
            width={rect.widthPercent}
            height={heightPx}
            fill={rect.color}
          />
        ))}
      </svg>
      <ul className="legend">
        {rects.map((rect) => (
          <li key={rect.id}>
            <span className="legend__swatch" style={{ background: rect.color }} aria-hidden="true" />
            {rect.label}: {rect.display}
          </li>
        ))}
      </ul>
    </figure>
  );
}
