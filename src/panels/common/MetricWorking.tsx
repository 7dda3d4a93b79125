import type { Metric } from '../../core';
import { formatInput } from '../../core/format';
import { SourceText } from './SourceText';

/**
 * A metric's working: the formula, the values substituted and the source. Callers build it only while shown (panels
 * hold dozens of metrics); MetricView and the Learn table's model figures open it.
 */
export function MetricWorking({ metric }: { metric: Metric }) {
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
