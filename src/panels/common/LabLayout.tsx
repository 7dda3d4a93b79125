import type { ReactNode } from 'react';

/**
 * A lab's figures beside its settings. On a wide screen the settings keep their own scrolling column next to the
 * charts, so a learner can move a control and watch what it does; on a narrower one they follow the figures. The
 * settings fold away (a <details>) for anyone who wants the charts alone.
 */
export function LabLayout({
  settingsTitle,
  settingsClassName,
  settings,
  children,
}: {
  settingsTitle: string;
  /** A lab-specific class on the settings, for tests and styles. */
  settingsClassName?: string;
  settings: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="lab-layout">
      <div className="lab-layout__figures">{children}</div>
      <details className={`lab__settings lab-layout__settings ${settingsClassName ?? ''}`.trim()} open>
        <summary>{settingsTitle}</summary>
        {settings}
      </details>
    </div>
  );
}
