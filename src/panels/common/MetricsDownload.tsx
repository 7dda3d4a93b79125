import { useId, useState } from 'react';
import type { Metric } from '../../core/metric';
import { metricsCsv, metricsFileName, metricsJson } from '../../core/metricsExport';
import { fragmentFor, type TabId } from '../../state/store';
import { useAppState } from '../../state/AppStoreContext';
import { downloadStatus, downloadText } from './download';

/**
 * "Download metrics: CSV / JSON" for the figures a lab shows, each file naming the share link that reproduces them.
 * `unavailable` disables both buttons and says why (the figures on screen are still being computed), so a file never
 * pairs figures with a link they do not belong to.
 */
export function MetricsDownload({
  lab,
  labName,
  metrics,
  unavailable,
}: {
  lab: TabId;
  labName: string;
  metrics: readonly Metric[];
  unavailable: string | null;
}) {
  const scenario = useAppState((state) => state.scenario);
  // A status describes the download made for one link: once the scenario moves on, it no longer applies.
  const [status, setStatus] = useState({ text: '', link: '' });
  const currentLink = fragmentFor(scenario, lab);
  const reasonId = useId();
  const disabled = unavailable !== null || metrics.length === 0;
  const reason = unavailable ?? (metrics.length === 0 ? 'No figures to download yet.' : null);
  const save = (format: 'csv' | 'json') => {
    const link = currentLink;
    const fileName = metricsFileName(lab, format);
    const text = downloadStatus(fileName, () =>
      format === 'csv'
        ? downloadText(fileName, metricsCsv(metrics, link), 'text/csv')
        : downloadText(fileName, metricsJson(metrics, labName, link), 'application/json'),
    );
    setStatus({ text, link });
  };
  return (
    <div className="export-row" role="group" aria-label={`Download the ${labName} metrics`}>
      <span className="export-row__label" aria-hidden="true">
        Download metrics:
      </span>
      {(['csv', 'json'] as const).map((format) => (
        <button
          key={format}
          type="button"
          disabled={disabled}
          aria-label={`Download metrics as ${format.toUpperCase()}`}
          aria-describedby={reason ? reasonId : undefined}
          onClick={() => save(format)}
        >
          {format.toUpperCase()}
        </button>
      ))}
      {reason ? (
        <span id={reasonId} className="export-row__reason">
          {reason}
        </span>
      ) : null}
      <span className="export-row__status" role="status">
        {reason || status.link !== currentLink ? '' : status.text}
      </span>
    </div>
  );
}
