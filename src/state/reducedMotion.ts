import { useMediaQuery } from './mediaQuery';

/** True when the user asked the system for less motion: animations then jump straight to their end state. */
export function usePrefersReducedMotion(): boolean {
  return useMediaQuery('(prefers-reduced-motion: reduce)');
}
