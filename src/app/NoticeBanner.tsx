import { useAppState } from '../state/AppStoreContext';
import type { Notice } from '../state/store';

/**
 * Lists what a link or an edit needed fixing; dismissible, and never blocks the app. The live region stays in the page
 * when empty, so a screen reader announces a notice that appears, not only one whose text changes; the fields an
 * edit changed repeat their part under themselves (FieldControl), without a second announcement.
 */
export function NoticeBanner() {
  const notice = useAppState((state) => state.notice);
  return (
    <div className="notice-live" role="status" aria-live="polite">
      {notice && notice.messages.length > 0 ? <NoticeContent notice={notice} /> : null}
    </div>
  );
}

function NoticeContent({ notice }: { notice: Notice }) {
  const dismiss = useAppState((state) => state.dismissNotice);
  const heading =
    notice.origin === 'link'
      ? 'This link needed some fixes before it could open:'
      : 'Adjusted to keep the scenario possible:';
  return (
    <div className="notice" data-notice={notice.origin}>
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
