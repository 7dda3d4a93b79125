import { useId, useState } from 'react';
import type { Metric } from '../../core';
import { formatMetric } from '../../core/format';
import { MetricWorking } from './MetricWorking';

/**
 * A number that shows its work: the value is a button; pressing it (click, Enter or Space) reveals the formula,
 * the values substituted and the source. A metric's warning (its flag) follows the value in words, inside the
 * button, so a screen reader says it with the figure ("6.06% — above the 3.75% threshold").
 */
export function MetricView({ metric, emphasis = false }: { metric: Metric; emphasis?: boolean }) {
  const [open, setOpen] = useState(false);
  const workingId = useId();
  return (
    <div
      className={`metric${emphasis ? ' metric--emphasis' : ''}${metric.flag ? ' metric--flagged' : ''}`}
      data-metric={metric.id}
      onKeyDown={(event) => {
        // Escape closes the working, as it would a disclosure, and leaves focus on the figure's button.
        if (event.key !== 'Escape' || !open) return;
        setOpen(false);
        event.currentTarget.querySelector('button')?.focus();
      }}
    >
      <button
        type="button"
        className="metric__button"
        aria-expanded={open}
        aria-controls={workingId}
        onClick={() => setOpen((value) => !value)}
        title="Show the working"
      >
        <span className="metric__label">{metric.label}</span>
        <span className="metric__figure">
          <span className="metric__value" data-value={metric.value}>
            {formatMetric(metric)}
          </span>
        </span>
        {/* On a line of its own under the figure, so a narrow card keeps label and value on one line. */}
        {metric.flag ? <span className="metric__flag">{` —\u00a0${metric.flag}`}</span> : null}
      </button>
      <div id={workingId} className="metric__working" hidden={!open}>
        {open ? <MetricWorking metric={metric} /> : null}
      </div>
    </div>
  );
}
