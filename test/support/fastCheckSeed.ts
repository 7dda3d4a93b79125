import fc from 'fast-check';

/**
 * Property tests draw their cases from one fixed seed, so that a run on a clean checkout passes or fails the same
 * way every time (CI lands nothing on a failure). To explore new cases, run with FC_SEED=random, or with a number
 * to replay one; a failure prints the seed and path that reproduce it.
 */
const requested = process.env.FC_SEED;
const seed =
  requested === 'random' ? Date.now() ^ (process.pid << 16) : requested ? Number(requested) : 20_260_424;
if (requested === 'random') console.log(`fast-check seed ${seed}`);
fc.configureGlobal({ seed });
