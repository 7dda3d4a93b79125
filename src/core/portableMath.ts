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

/** 1/(2n+1) for n = 13 … 1: the atanh series coefficients, highest first, for Horner's rule in log. */
const ATANH_COEFFICIENTS = Array.from({ length: 13 }, (_, index) => 1 / (2 * (13 - index) + 1));

/**
 * ln x: x = m·2^e with m in [√½, √2), ln m = 2·atanh(s), s = (m−1)/(m+1), |s| ≤ 0.172. The series
 * s·(1 + s²/3 + s⁴/5 + …) stops at s^27, where s^28/29 < 10⁻²² is far below double precision, and is summed by
 * Horner's rule with reciprocal coefficients: one multiply-add per term, no division (log runs once per routed token).
 */
export function log(x: number): number {
  if (Number.isNaN(x) || x < 0) return Number.NaN;
  if (x === 0) return Number.NEGATIVE_INFINITY;
  if (x === Number.POSITIVE_INFINITY) return x;
  let value = x;
  let exponent = 0;
  if (value < 2.2250738585072014e-308) {
    value *= 18014398509481984; // 2^54: subnormals become normal
    exponent -= 54;
  }
  scratch.setFloat64(0, value);
  const high = scratch.getUint32(0);
  exponent += ((high >>> 20) & 0x7ff) - 1023;
  scratch.setUint32(0, (high & 0x000fffff) | 0x3ff00000);
  let mantissa = scratch.getFloat64(0);
  if (mantissa > 1 / SQRT_HALF) {
    mantissa /= 2;
    exponent += 1;
  }
  const s = (mantissa - 1) / (mantissa + 1);
  const s2 = s * s;
  let tail = 0;
  for (const coefficient of ATANH_COEFFICIENTS) tail = (tail + coefficient) * s2;
  return exponent * LN2_HI + (2 * (s + s * tail) + exponent * LN2_LO);
}

/** x^y for x > 0 as e^(y·ln x); exact for x = 1 and y = 0. */
export function pow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (x === 0) return y > 0 ? 0 : Number.POSITIVE_INFINITY;
  return exp(y * log(x));
}
