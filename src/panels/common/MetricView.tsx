import { useId, useState } from 'react';
import type { Metric } from '../../core';
import { formatInput, formatMetric } from '../../core/format';
import { SourceText } from './SourceText';

/** The formula, the values substituted and the source: built only while shown (panels hold dozens of metrics). */
function Working({ metric }: { metric: Metric }) {
  return (
    <>
      <p className="metric__formula">
        <code>{metric.formula}</code>
      </p>
      <table className="metric__inputs">
        <caption className="visually-hidden">Values substituted into {metric.label}</caption>
        <tbody>
          {metric.inputs.map((item) => (
            <tr key={item.symbol}>
              <th scope="row">
                <code>{item.symbol}</code>
              </th>
              <td>{item.label}</td>
              <td className="numeric">{formatInput(item.value, item.unit)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="metric__source">
        Source: <SourceText source={metric.source} />
      </p>
      {metric.note ? <p className="metric__note">{metric.note}</p> : null}
    </>
  );
}

/**
 * A number that shows its work: the value is a button; pressing it (click, Enter or Space) reveals the formula,
 * the values substituted and the source.
 */
export function MetricView({ metric, emphasis = false }: { metric: Metric; emphasis?: boolean }) {
  const [open, setOpen] = useState(false);
  const workingId = useId();
  return (
    <div
      className={`metric${emphasis ? ' metric--emphasis' : ''}`}
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
        <span className="metric__value" data-value={metric.value}>
          {formatMetric(metric)}
        </span>
      </button>
      <div id={workingId} className="metric__working" hidden={!open}>
        {open ? <Working metric={metric} /> : null}
      </div>
    </div>
  );
}
