import { useAppState } from '../state/AppStoreContext';

/** Lists what a link or an edit needed fixing; dismissible, and never blocks the app. */
export function NoticeBanner() {
  const notice = useAppState((state) => state.notice);
  const dismiss = useAppState((state) => state.dismissNotice);
  if (!notice || notice.messages.length === 0) return null;
  const heading =
    notice.origin === 'link'
      ? 'This link needed some fixes before it could open:'
      : 'Adjusted to keep the scenario possible:';
  return (
    <div className="notice" role="status" aria-live="polite" data-notice={notice.origin}>
      <div>
        <p className="notice__heading">{heading}</p>
        <ul>
          {notice.messages.map((message, index) => (
            <li key={`${message.key ?? ''}-${index}`}>{message.message}</li>
          ))}
        </ul>
        {notice.openedFragment ? (
          <p className="notice__original">
            The link as you opened it: <code>#{notice.openedFragment.slice(0, 300)}</code>
            {notice.openedFragment.length > 300 ? '…' : ''}
          </p>
        ) : null}
      </div>
      <button
        type="button"
        className="notice__dismiss"
        onClick={() => {
          dismiss();
          // The button goes with the notice: keep keyboard focus in the labs rather than on the page.
          document.getElementById('main')?.focus();
        }}
      >
        Dismiss
      </button>
    </div>
  );
}
