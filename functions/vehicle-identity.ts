// A vehicle's identity as a car loan carries it: the VIN (ISO 3779; its 9th character is a check digit, which
// GB 16735 and the US FMVSS 115 both require) and the licence plate.

const VIN_VALUES: Record<string, number> = {
  A: 1,
  B: 2,
  C: 3,
  D: 4,
  E: 5,
  F: 6,
  G: 7,
  H: 8,
  J: 1,
  K: 2,
  L: 3,
  M: 4,
  N: 5,
  P: 7,
  R: 9,
  S: 2,
  T: 3,
  U: 4,
  V: 5,
  W: 6,
  X: 7,
  Y: 8,
  Z: 9,
};
const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/** The check digit a VIN's other 16 characters give ('0'-'9' or 'X'). */
export function vinCheckDigit(vin: string): string {
  const sum = [...vin].reduce((total, ch, i) => total + (/\d/.test(ch) ? Number(ch) : (VIN_VALUES[ch] ?? 0)) * VIN_WEIGHTS[i]!, 0);
  const digit = sum % 11;
  return digit === 10 ? 'X' : String(digit);
}

/** Why a VIN (upper case) is not one, or null. */
export function vinProblem(vin: string): string | null {
  if (vin.length !== 17) return `must be 17 characters, not ${vin.length}`;
  if (!/^[A-HJ-NPR-Z0-9]{17}$/.test(vin)) return 'must be letters and digits without I, O or Q';
  const expected = vinCheckDigit(vin);
  if (vin[8] !== expected) return `has the check digit ${vin[8]} in 9th place where its other characters give ${expected}: mistyped?`;
  return null;
}

/** Letters, digits, Chinese characters (沪A12345, 京AD12345), spaces and "-": 2 to 12 characters. */
export const PLATE_PATTERN = /^[\p{Script=Han}A-Z0-9][\p{Script=Han}A-Z0-9 -]{1,11}$/u;
