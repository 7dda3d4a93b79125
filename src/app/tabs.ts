import type { TabId } from '../state/store';

export interface TabSpec {
  id: TabId;
  label: string;
}

export const TABS: readonly TabSpec[] = [
  { id: 'summary', label: 'Summary' },
  { id: 'routing', label: 'Routing' },
  { id: 'stragglers', label: 'Stragglers' },
  { id: 'overlap', label: 'Overlap' },
  { id: 'checkpointing', label: 'Checkpointing' },
  { id: 'compare', label: 'Compare' },
  { id: 'learn', label: 'Learn' },
];
