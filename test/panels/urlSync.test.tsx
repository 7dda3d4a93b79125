import { describe, expect, it } from 'vitest';
import { decodeFragment } from '../../src/core';
import { createAppStore } from '../../src/state/store';
import { syncScenarioWithUrl } from '../../src/state/urlSync';

describe('syncScenarioWithUrl', () => {
  it('writes only changed fields to the fragment with replaceState, without adding history entries', () => {
    const store = createAppStore();
    const historyLength = window.history.length;
    const stop = syncScenarioWithUrl(store);
    expect(window.location.hash).toBe('#v=1');
    store.getState().setField('ep', '4');
    expect(window.location.hash).toBe('#v=1&ep=4');
    store.getState().setField('model', 'olmoe-1b-7b');
    expect(window.location.hash).toBe('#v=1&model=olmoe-1b-7b&ep=4');
    expect(window.history.length).toBe(historyLength);
    stop();
  });

  it('does not touch the URL for changes outside the scenario (tabs, theme)', () => {
    const store = createAppStore();
    const stop = syncScenarioWithUrl(store);
    const before = window.location.href;
    store.getState().setTab('learn');
    store.getState().setTheme('dark');
    expect(window.location.href).toBe(before);
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
});
