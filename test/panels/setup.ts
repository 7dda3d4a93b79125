import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

// jsdom has no canvas: say so plainly instead of letting it print "Not implemented" for every chart draw. The charts
// treat a null context as "nothing to draw"; what they draw is tested in Chromium (test/e2e).
HTMLCanvasElement.prototype.getContext = (() => null) as typeof HTMLCanvasElement.prototype.getContext;

// jsdom has no layout either, so nothing to scroll; where the page lands is checked in Chromium.
window.scrollTo = (() => undefined) as typeof window.scrollTo;

afterEach(() => {
  cleanup();
  window.location.hash = '';
});
