// Check-digit algorithms of the identifier classes screening recognises. A
// structure that also passes its check digit is a hit with near certainty; the
// same structure failing it is usually something else (an amount, a reference).

const digits = (s: string) => [...s].map(Number);

/** ISO 13616 IBAN: move the first four characters to the end, letters → 10..35, mod 97 = 1. */
export function ibanOk(iban: string): boolean {
  const s = iban.toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(s)) return false;
  let r = 0;
  for (const ch of s.slice(4) + s.slice(0, 4)) {
    const v = /[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of v) r = (r * 10 + Number(d)) % 97;
  }
  return r === 1;
}

/** IBAN length per country (ISO 13616 registry), for the countries an exchange meets most. */
export const IBAN_LENGTH: Record<string, number> = {
  AD: 24,
  AT: 20,
  BA: 20,
  BE: 16,
  BG: 22,
  CH: 21,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  EE: 20,
  ES: 24,
  FI: 18,
  FR: 27,
  GB: 22,
  GR: 27,
  HR: 21,
  HU: 28,
  IE: 22,
  IS: 26,
  IT: 27,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  ME: 22,
  MK: 19,
  MT: 31,
  NL: 18,
  NO: 15,
  PL: 28,
  PT: 25,
  RO: 24,
  RS: 22,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  TR: 26,
  UA: 29,
  AL: 28,
  MD: 24,
  GE: 22,
  AE: 23,
  SA: 24,
  IL: 23,
};

/** Luhn (ISO/IEC 7812), for payment cards and some national numbers. */
export function luhnOk(number: string): boolean {
  let sum = 0;
  const ds = digits(number).reverse();
  for (const [i, d] of ds.entries()) {
    const v = i % 2 === 1 ? d * 2 : d;
    sum += v > 9 ? v - 9 : v;
  }
  return ds.length > 0 && sum % 10 === 0;
}

/** ICAO 9303 check digit (weights 7, 3, 1; '<' = 0, A = 10 …). */
export function mrzCheckDigit(field: string): number {
  const weights = [7, 3, 1];
  let sum = 0;
  for (const [i, ch] of [...field].entries()) {
    const v = ch === '<' ? 0 : /[0-9]/.test(ch) ? Number(ch) : ch.charCodeAt(0) - 55;
    sum += v * weights[i % 3]!;
  }
  return sum % 10;
}

/** ISO 6346 freight container number (owner code, category, serial, check digit). */
export function containerOk(code: string): boolean {
  const s = code.toUpperCase();
  if (!/^[A-Z]{3}[UJZ]\d{7}$/.test(s)) return false;
  const value = (ch: string) => {
    if (/\d/.test(ch)) return Number(ch);
    const v = ch.charCodeAt(0) - 55; // A = 10, skipping multiples of 11
    return v + Math.floor((v - 1) / 10);
  };
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += value(s[i]!) * 2 ** i;
  return (sum % 11) % 10 === Number(s[10]);
}

const weighted = (s: string, w: readonly number[]) => digits(s).reduce((a, d, i) => a + d * (w[i] ?? 0), 0);

/** Polish PESEL (11 digits). */
export function peselOk(s: string): boolean {
  if (!/^\d{11}$/.test(s)) return false;
  return (10 - (weighted(s, [1, 3, 7, 9, 1, 3, 7, 9, 1, 3]) % 10)) % 10 === Number(s[10]);
}

/** Bulgarian EGN (10 digits). */
export function egnOk(s: string): boolean {
  if (!/^\d{10}$/.test(s)) return false;
  return (weighted(s, [2, 4, 8, 5, 10, 9, 7, 3, 6]) % 11) % 10 === Number(s[9]);
}

/** Romanian CNP (13 digits). */
export function cnpOk(s: string): boolean {
  if (!/^[1-8]\d{12}$/.test(s)) return false;
  const r = weighted(s, [2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9]) % 11;
  return (r === 10 ? 1 : r) === Number(s[12]);
}

/** Dutch BSN (9 digits, "11-proof"). */
export function bsnOk(s: string): boolean {
  if (!/^\d{9}$/.test(s)) return false;
  return weighted(s, [9, 8, 7, 6, 5, 4, 3, 2, -1]) % 11 === 0 && s !== '000000000';
}

/** Spanish DNI (8 digits + letter) and NIE (X/Y/Z + 7 digits + letter). */
export function dniOk(s: string): boolean {
  const u = s.toUpperCase();
  const m = /^([XYZ]?)(\d{7,8})([A-Z])$/.exec(u);
  if (!m) return false;
  const prefix = m[1] ? String('XYZ'.indexOf(m[1])) : '';
  if ((prefix + m[2]).length !== 8) return false;
  return 'TRWAGMYFPDXBNJZSQVHLCKE'[Number(prefix + m[2]) % 23] === m[3];
}

/** Belgian national register number (11 digits, mod 97, also for births from 2000). */
export function belgianNnOk(s: string): boolean {
  if (!/^\d{11}$/.test(s)) return false;
  const body = s.slice(0, 9);
  const check = Number(s.slice(9));
  return 97 - (Number(body) % 97) === check || 97 - (Number(`2${body}`) % 97) === check;
}

/** Czech / Slovak birth number (10 digits, divisible by 11, from 1954). */
export function rodneCisloOk(s: string): boolean {
  return /^\d{10}$/.test(s) && Number(s) % 11 === 0 && Number(s.slice(2, 4)) % 50 <= 12;
}
