import type { ValidationMessage } from './types';

/** The labs, in the order of their tabs; a link's `lab=` names one. */
export const TAB_IDS = [
  'summary',
  'routing',
  'stragglers',
  'overlap',
  'checkpointing',
  'compare',
  'learn',
] as const;
export type TabId = (typeof TAB_IDS)[number];
/** The lab a link opens on when it names none. */
export const DEFAULT_TAB: TabId = 'summary';

/** The lab a link's `lab=` asks for; an unknown one opens the default lab and says so. */
export function tabFromLink(lab: string | undefined): { tab: TabId; messages: ValidationMessage[] } {
  if (lab === undefined) return { tab: DEFAULT_TAB, messages: [] };
  const tab = TAB_IDS.find((id) => id === lab);
  if (tab) return { tab, messages: [] };
  const shownLab = lab.length > 40 ? `${lab.slice(0, 40)}…` : lab;
  return {
    tab: DEFAULT_TAB,
    messages: [
      {
        kind: 'invalid',
        key: 'lab',
        message: `The link asks for a lab called "${shownLab}", which MoE Lab does not have; opened the Summary. Labs: ${TAB_IDS.join(', ')}.`,
      },
    ],
  };
}
