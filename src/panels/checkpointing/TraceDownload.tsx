import { useId, useState } from 'react';
import type { Scenario } from '../../core';
import { CHECKPOINT_TRACE_FILE_NAME, checkpointTraceJson } from '../../core/checkpoint/checkpointTrace';
import type { CheckpointRun } from '../../core/checkpoint/runTypes';
import { fragmentFor } from '../../state/store';
import { downloadStatus, downloadText } from '../common/download';

/**
 * "Export trace (Perfetto)": the simulated run as a Chrome trace, the same file `sim --trace` writes for the link.
 * Disabled, with the reason beside it, while the run on screen is not the scenario's (still simulating, or failed).
 */
export function TraceDownload({
  scenario,
  run,
  unavailable,
}: {
  scenario: Scenario;
  run: CheckpointRun | null;
  unavailable: string | null;
}) {
  // A status describes the file made for one link: once the scenario moves on, it no longer applies.
  const [status, setStatus] = useState({ text: '', link: '' });
  const currentLink = fragmentFor(scenario, 'checkpointing');
  const reasonId = useId();
  const reason = unavailable ?? (run ? null : 'Simulating the run…');
  const save = () => {
    if (!run) return;
    const link = currentLink;
    const text = downloadStatus(CHECKPOINT_TRACE_FILE_NAME, () =>
      downloadText(
        CHECKPOINT_TRACE_FILE_NAME,
        checkpointTraceJson({ scenario, run, link }),
        'application/json',
      ),
    );
    setStatus({ text, link });
  };
  return (
    <div className="export-row">
      <button
        type="button"
        disabled={reason !== null}
        aria-describedby={reason ? reasonId : undefined}
        onClick={save}
      >
        Export trace (Perfetto)
      </button>
      {reason ? (
        <span id={reasonId} className="export-row__reason">
          {reason}
        </span>
      ) : (
        <span className="export-row__reason">
          Chrome trace JSON of the run: open it at ui.perfetto.dev or chrome://tracing.
        </span>
      )}
      <span className="export-row__status" role="status">
        {reason || status.link !== currentLink ? '' : status.text}
      </span>
    </div>
  );
}
