/**
 * exp, log and pow that give bit-identical results in every JavaScript engine. The standard library's Math.exp,
 * Math.log, Math.pow, Math.sin and Math.cos are only required to be "implementation-approximated" (ECMA-262
 * §21.3.2), and Chromium's V8 and Node 20's V8 were seen to differ in the last bit, which changed a metric between
 * the browser and the command line. These use only +, −, ×, ÷ and exact power-of-two scaling, which IEEE 754
 * rounds the same everywhere. Accuracy: within a few units in the last place of the true value.
 */

const LN2_HI = 6.9314718036912381649e-1; // ln 2, high part (fdlibm's split: LN2_HI + LN2_LO = ln 2)
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.442695040888963387;
const SQRT_HALF = 0.7071067811865476;

const scratch = new DataView(new ArrayBuffer(8));

/**
 * A double and its two 32-bit halves over the same 8 bytes, for reading log's exponent bits: a typed-array store
 * and load is far cheaper than DataView's calls (log runs once per routed token). Typed arrays use the platform's
 * byte order, so which half holds the sign and exponent is found once here, from the bits of 1 (0x3ff00000_00000000).
 */
const bitsFloat = new Float64Array(1);
const bitsWords = new Uint32Array(bitsFloat.buffer);
bitsFloat[0] = 1;
const HIGH_WORD_INDEX = bitsWords[1] === 0x3ff00000 ? 1 : 0;

/**
 * Entry i is 2^(1023 − i), for i = 0 … 2047 (2^1023 down to 2^−1024, all exact: halving a power of two is exact
 * down to 2^−1074). A normal double with biased exponent i times entry i is its mantissa in [1, 2), exactly. log
 * scales by this instead of rewriting the exponent bits and reading the double back, which costs a store-forwarding
 * stall (a load spanning two stores) of about 30 ns per call.
 */
const MANTISSA_SCALE_BY_BIASED_EXPONENT = new Float64Array(2048);
MANTISSA_SCALE_BY_BIASED_EXPONENT[0] = 8.98846567431158e307; // 2^1023
for (let index = 1; index < 2048; index += 1) {
  MANTISSA_SCALE_BY_BIASED_EXPONENT[index] = MANTISSA_SCALE_BY_BIASED_EXPONENT[index - 1]! / 2;
}

/** 2^k for an integer k in the normal range, built from the exponent bits (exact). */
function powerOfTwo(k: number): number {
  scratch.setUint32(0, (k + 1023) << 20);
  scratch.setUint32(4, 0);
  return scratch.getFloat64(0);
}

/** x · 2^k without overflow in the intermediate scale. */
function scaleByPowerOfTwo(x: number, k: number): number {
  if (k > 1023) return x * powerOfTwo(1023) * powerOfTwo(k - 1023);
  if (k < -1022) return x * powerOfTwo(-1022) * powerOfTwo(Math.max(-1022, k + 1022));
  return x * powerOfTwo(k);
}

/**
 * e^x: x = k·ln2 + r with |r| ≤ ln2/2; e^r − 1 by Horner's rule over its Taylor series to r^16 (the error then
 * stays relative to the small part), plus 1, scaled by 2^k exactly.
 */
export function exp(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x > 709.782712893384) return Number.POSITIVE_INFINITY;
  if (x < -745.1332191019412) return 0;
  const k = Math.round(x * INV_LN2);
  const r = x - k * LN2_HI - k * LN2_LO;
  let expm1 = 0;
  for (let n = 16; n >= 1; n -= 1) expm1 = (r / n) * (1 + expm1);
  return scaleByPowerOfTwo(1 + expm1, k);
}

/**
 * 1/(2n+1) for n = 13 … 1: the atanh series coefficients for Horner's rule in log, as named constants so that log
 * can write the rule out term by term instead of looping over an array (log runs once per routed token).
 */
const ATANH_C27 = 1 / 27;
const ATANH_C25 = 1 / 25;
const ATANH_C23 = 1 / 23;
const ATANH_C21 = 1 / 21;
const ATANH_C19 = 1 / 19;
const ATANH_C17 = 1 / 17;
const ATANH_C15 = 1 / 15;
const ATANH_C13 = 1 / 13;
const ATANH_C11 = 1 / 11;
const ATANH_C9 = 1 / 9;
const ATANH_C7 = 1 / 7;
const ATANH_C5 = 1 / 5;
const ATANH_C3 = 1 / 3;
const SQRT_TWO = 1 / SQRT_HALF; // as log always computed it: 1.414213562373095, one ulp below Math.SQRT2

/**
 * ln x: x = m·2^e with m in [√½, √2), ln m = 2·atanh(s), s = (m−1)/(m+1), |s| ≤ 0.172. The series
 * s·(1 + s²/3 + s⁴/5 + …) stops at s^27, where s^28/29 < 10⁻²² is far below double precision, and is summed by
 * Horner's rule with reciprocal coefficients: one multiply-add per term, no division (log runs once per routed token).
 * Every step is exact or one rounded operation in a fixed order, so the bits never change (pinned by a test against
 * the first, slower implementation).
 */
export function log(x: number): number {
  if (Number.isNaN(x) || x < 0) return Number.NaN;
  if (x === 0) return Number.NEGATIVE_INFINITY;
  if (x === Number.POSITIVE_INFINITY) return x;
  let value = x;
  let exponent = -1023;
  if (value < 2.2250738585072014e-308) {
    value *= 18014398509481984; // 2^54: subnormals become normal
    exponent -= 54;
  }
  bitsFloat[0] = value;
  const biasedExponent = bitsWords[HIGH_WORD_INDEX]! >>> 20; // the sign bit is 0 here
  exponent += biasedExponent;
  let mantissa = value * MANTISSA_SCALE_BY_BIASED_EXPONENT[biasedExponent]!; // in [1, 2), exact
  if (mantissa > SQRT_TWO) {
    mantissa /= 2;
    exponent += 1;
  }
  const s = (mantissa - 1) / (mantissa + 1);
  const s2 = s * s;
  let tail = ATANH_C27 * s2; // = (0 + 1/27)·s², the first step from tail = 0
  tail = (tail + ATANH_C25) * s2;
  tail = (tail + ATANH_C23) * s2;
  tail = (tail + ATANH_C21) * s2;
  tail = (tail + ATANH_C19) * s2;
  tail = (tail + ATANH_C17) * s2;
  tail = (tail + ATANH_C15) * s2;
  tail = (tail + ATANH_C13) * s2;
  tail = (tail + ATANH_C11) * s2;
  tail = (tail + ATANH_C9) * s2;
  tail = (tail + ATANH_C7) * s2;
  tail = (tail + ATANH_C5) * s2;
  tail = (tail + ATANH_C3) * s2;
  return exponent * LN2_HI + (2 * (s + s * tail) + exponent * LN2_LO);
}

/** x^y for x > 0 as e^(y·ln x); exact for x = 1 and y = 0. */
export function pow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (x === 0) return y > 0 ? 0 : Number.POSITIVE_INFINITY;
  return exp(y * log(x));
}
