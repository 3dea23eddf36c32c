import { isValidEnterpriseNumber } from '../agencies/agency-services';

export { isValidEnterpriseNumber };

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * A Belgian national number: YYMMDD, a 3-digit serial (odd for men, even for women) and a
 * mod-97 check. For people born in 2000 or later the check is computed over `2` + the first 9
 * digits, so the same 9 digits cannot be mistaken for someone born a century earlier.
 */
export function nationalNumber(birthDate: string, serial: number): string {
  const [year, month, day] = birthDate.split('-').map(Number);
  const base = `${pad(year % 100, 2)}${pad(month, 2)}${pad(day, 2)}${pad(serial, 3)}`;
  const dividend = year >= 2000 ? BigInt(`2${base}`) : BigInt(base);
  return `${base}${pad(97 - Number(dividend % 97n), 2)}`;
}

/** Whether 11 digits pass the national-number check, for either century. */
export function isValidNationalNumber(value: string): boolean {
  if (!/^\d{11}$/.test(value)) return false;
  const base = value.slice(0, 9);
  const check = Number(value.slice(9));
  return 97 - Number(BigInt(base) % 97n) === check || 97 - Number(BigInt(`2${base}`) % 97n) === check;
}

/** A valid enterprise number (10 digits, `0` or `1` first, 97 - first 8 digits mod 97 last). */
export function enterpriseNumber(base8: number): string {
  const base = pad(base8, 8);
  return `${base}${pad(97 - (base8 % 97), 2)}`;
}
