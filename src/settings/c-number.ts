// C library number parsing as PostgreSQL's guc.c relies on it (glibc strtol with base 0, strtod),
// so that values are read exactly the way the server reads them: octal "010" is 8, "0x40" is 64.

export interface CParse {
  value: number;
  /** Index just past the number; equal to the start of the input when nothing was converted. */
  end: number;
  /** errno == ERANGE: the number does not fit (overflow, or a non-zero value that underflows). */
  erange: boolean;
}

/** isspace() in the C locale. */
export function isCSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\v' || ch === '\f' || ch === '\r';
}

const DIGITS = '0123456789abcdef';
const LONG_MAX = 2 ** 63;

function digitValue(ch: string | undefined, base: number): number {
  if (ch === undefined) return -1;
  const d = DIGITS.indexOf(ch.toLowerCase());
  return d >= 0 && d < base ? d : -1;
}

function skipSpaceAndSign(text: string): { i: number; negative: boolean } {
  let i = 0;
  while (isCSpace(text[i])) i++;
  let negative = false;
  if (text[i] === '+' || text[i] === '-') {
    negative = text[i] === '-';
    i++;
  }
  return { i, negative };
}

/** strtol(text, &end, 0): decimal, octal with a leading 0, hex with 0x. */
export function strtol0(text: string): CParse {
  let { i, negative } = skipSpaceAndSign(text);
  let base = 10;
  if (text[i] === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X') && digitValue(text[i + 2], 16) >= 0) {
    base = 16;
    i += 2;
  } else if (text[i] === '0') {
    base = 8;
  }
  const start = i;
  let value = 0;
  for (let d = digitValue(text[i], base); d >= 0; d = digitValue(text[i], base)) {
    value = value * base + d;
    i++;
  }
  if (i === start) return { value: 0, end: 0, erange: false };
  const erange = negative ? value > LONG_MAX : value >= LONG_MAX;
  return { value: negative ? -value : value, end: i, erange };
}

function matchWord(text: string, at: number, word: string): boolean {
  return text.slice(at, at + word.length).toLowerCase() === word;
}

function scanDigits(text: string, at: number, base: number): number {
  while (digitValue(text[at], base) >= 0) at++;
  return at;
}

/** Length of an exponent ("e-7", "p+3") at `at`, or 0 when there is no complete exponent. */
function exponentLength(text: string, at: number, marker: string): number {
  if (text[at]?.toLowerCase() !== marker) return 0;
  let j = at + 1;
  if (text[j] === '+' || text[j] === '-') j++;
  const digitsEnd = scanDigits(text, j, 10);
  return digitsEnd > j ? digitsEnd - at : 0;
}

function hexFloat(text: string, from: number): { value: number; end: number } | null {
  const intEnd = scanDigits(text, from, 16);
  let end = intEnd;
  let fraction = '';
  if (text[end] === '.') {
    const fracEnd = scanDigits(text, end + 1, 16);
    fraction = text.slice(end + 1, fracEnd);
    end = fracEnd;
  }
  const mantissaDigits = text.slice(from, intEnd) + fraction;
  if (mantissaDigits.length === 0) return null;
  const expLength = exponentLength(text, end, 'p');
  const exponent = expLength > 0 ? Number(text.slice(end + 1, end + expLength)) : 0;
  const mantissa = Number(BigInt(`0x${mantissaDigits}`));
  return { value: mantissa * 2 ** (exponent - 4 * fraction.length), end: end + expLength };
}

/** strtod(text, &end): decimal and hex floats, inf, infinity and nan, with glibc's ERANGE rules. */
export function strtod(text: string): CParse {
  const { i, negative } = skipSpaceAndSign(text);
  const sign = negative ? -1 : 1;
  if (matchWord(text, i, 'infinity')) return { value: sign * Infinity, end: i + 8, erange: false };
  if (matchWord(text, i, 'inf')) return { value: sign * Infinity, end: i + 3, erange: false };
  if (matchWord(text, i, 'nan')) {
    let end = i + 3;
    const close = text.indexOf(')', end);
    if (text[end] === '(' && close > 0 && /^[A-Za-z0-9_]*$/.test(text.slice(end + 1, close))) end = close + 1;
    return { value: NaN, end, erange: false };
  }
  if (text[i] === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X')) {
    const hex = hexFloat(text, i + 2);
    if (hex) return withRange(sign * hex.value, hex.end, /[1-9a-f]/i.test(text.slice(i + 2, hex.end).split(/p/i)[0]!));
  }
  const intEnd = scanDigits(text, i, 10);
  let end = intEnd;
  if (text[end] === '.') end = scanDigits(text, end + 1, 10);
  const mantissa = text.slice(i, end);
  if (mantissa === '' || mantissa === '.') return { value: 0, end: 0, erange: false };
  end += exponentLength(text, end, 'e');
  return withRange(sign * Number(text.slice(i, end)), end, /[1-9]/.test(mantissa));
}

const DBL_MIN = 2.2250738585072014e-308;

function withRange(value: number, end: number, nonZeroMantissa: boolean): CParse {
  const overflow = !Number.isFinite(value);
  const underflow = nonZeroMantissa && Math.abs(value) < DBL_MIN;
  return { value, end, erange: overflow || underflow };
}

/** rint() in the default rounding mode: halfway cases go to the even neighbour (0.5 → 0, 1.5 → 2). */
export function rint(x: number): number {
  if (!Number.isFinite(x)) return x;
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
