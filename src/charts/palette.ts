/**
 * Okabe & Ito's colour-blind-safe palette ("Color Universal Design", 2008), distinguishable under the common
 * forms of colour-vision deficiency. Charts also label every segment, so colour is never the only cue.
 */
export const OKABE_ITO = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#56B4E9',
  '#D55E00',
  '#F0E442',
  '#000000',
] as const;
