import { useEffect } from 'react';
import { PanelErrorBoundary } from '../panels/common/PanelErrorBoundary';
import { LearnPanel } from '../panels/learn/LearnPanel';
import { OpenedCheckBanner } from '../panels/learn/OpenedCheckBanner';
import { PlannedPanel } from '../panels/PlannedPanel';
import { RoutingPanel } from '../panels/routing/RoutingPanel';
import { CheckpointingPanel } from '../panels/checkpointing/CheckpointingPanel';
import { SummaryPanel } from '../panels/summary/SummaryPanel';
import { useAppState } from '../state/AppStoreContext';
import type { TabId } from '../state/store';
import { Header } from './Header';
import { NoticeBanner } from './NoticeBanner';
import { Sidebar } from './Sidebar';
import { Tabs } from './Tabs';
import { TABS } from './tabs';

const PLANNED: Partial<Record<TabId, { description: string; papers: string }>> = {
  stragglers: {
    description:
      'Experts placed on EP ranks, per-rank compute from a roofline, dispatch and combine all-to-all, and the slowest rank that the layer waits for; remedies to stack and compare: Token and Expanded Drop, ReaLB’s per-rank FP4, DualSparse’s computation drop and EPLB’s redundant experts.',
    papers: 'Capacity-Aware Inference; ReaLB; DualSparse-MoE; DeepSeek EPLB',
  },
  overlap: {
    description:
      'A two-stream timeline of a block pair for top-2, top-1, shared-expert, ScMoE at its three shortcut positions and pipelined top-k: how much all-to-all is hidden and how the winner changes with bandwidth.',
    papers: 'ScMoE',
  },
  compare: {
    description:
      'Two scenarios side by side with their differences, and sweeps of any setting as curves and heatmaps computed off the main thread.',
    papers: 'all',
  },
};

function Panel({ id }: { id: TabId }) {
  const label = TABS.find((tab) => tab.id === id)?.label ?? id;
  let content;
  if (id === 'summary') content = <SummaryPanel />;
  else if (id === 'learn') content = <LearnPanel />;
  else if (id === 'routing') content = <RoutingPanel />;
  else if (id === 'checkpointing') content = <CheckpointingPanel />;
  else {
    const planned = PLANNED[id];
    content = planned ? (
      <PlannedPanel title={label} description={planned.description} papers={planned.papers} />
    ) : null;
  }
  return <PanelErrorBoundary panel={label}>{content}</PanelErrorBoundary>;
}

/** The window's title names the open lab, so tabs, bookmarks and history entries say which lab each one shows. */
function documentTitle(tab: TabId): string {
  const label = TABS.find((spec) => spec.id === tab)?.label;
  return label ? `${label} · MoE Lab` : 'MoE Lab';
}

export function App() {
  const theme = useAppState((state) => state.theme);
  const activeTab = useAppState((state) => state.activeTab);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  useEffect(() => {
    document.title = documentTitle(activeTab);
  }, [activeTab]);
  return (
    <div className="app">
      <a
        className="skip-link"
        href="#main"
        onClick={(event) => {
          // The fragment holds the scenario: following "#main" would replace it. Move focus instead.
          event.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to the labs
      </a>
      <Header />
      <div className="layout">
        <Sidebar />
        <main id="main" className="main" tabIndex={-1}>
          <NoticeBanner />
          <OpenedCheckBanner />
          <Tabs renderPanel={(id) => <Panel id={id} />} />
        </main>
      </div>
    </div>
  );
}
