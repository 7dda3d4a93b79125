import { describe, expect, it } from 'vitest';
import { decodeFragment } from '../../src/core';
import { createAppStore } from '../../src/state/store';
import { HISTORY_MERGE_MS, syncScenarioWithUrl } from '../../src/state/urlSync';

describe('syncScenarioWithUrl', () => {
  it('writes only changed fields to the fragment', () => {
    const store = createAppStore();
    const stop = syncScenarioWithUrl(store);
    expect(window.location.hash).toBe('#v=1');
    store.getState().setField('ep', '4');
    expect(window.location.hash).toBe('#v=1&ep=4');
    store.getState().setField('model', 'olmoe-1b-7b');
    expect(window.location.hash).toBe('#v=1&model=olmoe-1b-7b&ep=4');
    stop();
  });

  it('adds a history entry per edit, so Back undoes it; edits in quick succession share one', () => {
    let clockMs = 0;
    const store = createAppStore();
    const stop = syncScenarioWithUrl(store, window, () => clockMs);
    const start = window.history.length;
    store.getState().setField('seed', '5');
    expect(window.history.length).toBe(start + 1);
    clockMs += HISTORY_MERGE_MS / 2;
    store.getState().setField('seed', '52');
    clockMs += HISTORY_MERGE_MS / 2;
    store.getState().setField('seed', '523');
    expect(window.history.length).toBe(start + 1);
    expect(window.location.hash).toBe('#v=1&seed=523');
    clockMs += HISTORY_MERGE_MS;
    store.getState().setTab('routing');
    expect(window.history.length).toBe(start + 2);
    stop();
  });

  it('replaces the entry while playback moves the batch or iteration shown', () => {
    let clockMs = 0;
    const store = createAppStore();
    const stop = syncScenarioWithUrl(store, window, () => clockMs);
    const start = window.history.length;
    for (let batch = 1; batch <= 3; batch += 1) {
      clockMs += 5 * HISTORY_MERGE_MS;
      store.getState().setField('routing.batch', batch);
      store.getState().setField('checkpoint.viewIteration', batch * 100);
    }
    expect(window.history.length).toBe(start);
    expect(window.location.hash).toContain('routing.batch=3');
    stop();
  });

  it('writes the open lab after the scenario, and leaves the Summary out', () => {
    const store = createAppStore();
    const stop = syncScenarioWithUrl(store);
    store.getState().setField('seed', '7');
    store.getState().setTab('routing');
    expect(window.location.hash).toBe('#v=1&seed=7&lab=routing');
    store.getState().setTab('summary');
    expect(window.location.hash).toBe('#v=1&seed=7');
    stop();
  });

  it('does not touch the URL for the theme', () => {
    const store = createAppStore();
    const stop = syncScenarioWithUrl(store);
    const before = window.location.href;
    store.getState().setTheme('dark');
    expect(window.location.href).toBe(before);
    stop();
  });

  it('opens a navigated link on the lab it names, and on the Summary when it names none', () => {
    const store = createAppStore({ tab: 'learn' });
    const stop = syncScenarioWithUrl(store);
    window.location.hash = '#v=1&model=dbrx&lab=checkpointing';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    expect(store.getState().activeTab).toBe('checkpointing');
    expect(store.getState().notice).toBeNull();
    window.location.hash = '#v=1&model=olmoe-1b-7b';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    expect(store.getState().activeTab).toBe('summary');
    stop();
  });

  it('opens an unknown lab as the Summary with a message, keeping the scenario', () => {
    const store = createAppStore();
    const stop = syncScenarioWithUrl(store);
    window.location.hash = '#v=1&model=dbrx&lab=nonsense';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    const state = store.getState();
    expect(state.activeTab).toBe('summary');
    expect(state.scenario.model.preset).toBe('dbrx');
    expect(state.notice?.messages.map((message) => message.key)).toEqual(['lab']);
    expect(state.notice?.messages[0]?.message).toContain('"nonsense"');
    stop();
  });

  it('opens a fragment the user navigates to', () => {
    const store = createAppStore();
    const stop = syncScenarioWithUrl(store);
    window.location.hash = '#v=1&model=dbrx&seed=42';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    expect(store.getState().scenario).toEqual(decodeFragment('v=1&model=dbrx&seed=42').scenario);
    stop();
  });

  it('treats an in-page anchor such as #main as no scenario: it keeps the scenario and puts the fragment back', () => {
    const store = createAppStore();
    const stop = syncScenarioWithUrl(store);
    window.location.hash = '#v=1&model=dbrx';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    const opened = store.getState().scenario;
    window.location.hash = '#main';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    expect(store.getState().scenario).toBe(opened);
    expect(store.getState().notice).toBeNull();
    expect(window.location.hash).toBe('#v=1&model=dbrx');
    stop();
  });
});
