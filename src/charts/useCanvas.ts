import { useCallback, useEffect, useRef, useState, useSyncExternalStore, type RefObject } from 'react';

export interface CanvasSize {
  widthPx: number;
  heightPx: number;
}

/**
 * A canvas that fills its container's width at the device's pixel ratio. Returns the ref, the CSS size, a 2D
 * context scaled so drawing code works in CSS pixels, and the page's theme: charts read their colours from CSS when
 * they draw, so they list `theme` among their drawing effect's dependencies to redraw when it changes.
 * Re-measures when the container resizes.
 */
export function useCanvas(heightPx: number): {
  ref: RefObject<HTMLCanvasElement | null>;
  size: CanvasSize;
  context: () => CanvasRenderingContext2D | null;
  theme: string;
} {
  const ref = useRef<HTMLCanvasElement | null>(null);
  const [widthPx, setWidthPx] = useState(600);
  useEffect(() => {
    const canvas = ref.current;
    const parent = canvas?.parentElement;
    if (!canvas || !parent || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver((entries) => {
      const width = Math.floor(entries[0]?.contentRect.width ?? 600);
      if (width > 0) setWidthPx(width);
    });
    observer.observe(parent);
    return () => observer.disconnect();
  }, []);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const ratio = typeof window !== 'undefined' ? window.devicePixelRatio || 1 : 1;
    canvas.width = Math.round(widthPx * ratio);
    canvas.height = Math.round(heightPx * ratio);
    canvas.style.width = `${widthPx}px`;
    canvas.style.height = `${heightPx}px`;
  }, [widthPx, heightPx]);
  const context = useCallback(() => {
    const canvas = ref.current;
    const drawing = canvas ? context2d(canvas) : null;
    if (!canvas || !drawing) return null;
    const ratio = canvas.width / Math.max(1, widthPx);
    drawing.setTransform(ratio, 0, 0, ratio, 0, 0);
    return drawing;
  }, [widthPx]);
  const theme = useSyncExternalStore(subscribeToTheme, documentTheme, () => '');
  return { ref, size: { widthPx, heightPx }, context, theme };
}

/** The canvas's 2D context, or null where there is none (jsdom has no canvas and throws "not implemented"). */
export function context2d(canvas: HTMLCanvasElement): CanvasRenderingContext2D | null {
  try {
    return canvas.getContext?.('2d') ?? null;
  } catch {
    return null;
  }
}

/** Reads theme colours (CSS custom properties) so canvas drawings follow the light and dark themes. */
export function themeColour(element: Element | null, name: string, fallback: string): string {
  if (!element || typeof getComputedStyle === 'undefined') return fallback;
  const value = getComputedStyle(element).getPropertyValue(name).trim();
  return value || fallback;
}

/** Calls back when the page's data-theme attribute (set by App) changes. */
function subscribeToTheme(onChange: () => void): () => void {
  if (typeof document === 'undefined' || typeof MutationObserver === 'undefined') return () => {};
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return () => observer.disconnect();
}

function documentTheme(): string {
  return typeof document === 'undefined' ? '' : (document.documentElement.dataset.theme ?? '');
}
