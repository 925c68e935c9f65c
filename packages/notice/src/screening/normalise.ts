/**
 * Normal forms screening matches in: one folded form (lower case, no diacritics,
 * Cyrillic and Greek transliterated to Latin) for words, and one compact form
 * (folded, letters and digits only) for identifiers people write with spaces,
 * dashes, dots or slashes inside.
 */

const CYRILLIC: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  ґ: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  є: 'ye',
  ж: 'zh',
  з: 'z',
  и: 'i',
  і: 'i',
  ї: 'yi',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'sht',
  ъ: 'a',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
  ђ: 'dj',
  ј: 'j',
  љ: 'lj',
  њ: 'nj',
  ћ: 'c',
  џ: 'dz',
  ў: 'u',
};
const GREEK: Record<string, string> = {
  α: 'a',
  β: 'v',
  γ: 'g',
  δ: 'd',
  ε: 'e',
  ζ: 'z',
  η: 'i',
  θ: 'th',
  ι: 'i',
  κ: 'k',
  λ: 'l',
  μ: 'm',
  ν: 'n',
  ξ: 'x',
  ο: 'o',
  π: 'p',
  ρ: 'r',
  σ: 's',
  ς: 's',
  τ: 't',
  υ: 'y',
  φ: 'f',
  χ: 'ch',
  ψ: 'ps',
  ω: 'o',
};
/** Latin letters that do not decompose into a base letter and a mark. */
const LATIN: Record<string, string> = {
  ß: 'ss',
  ł: 'l',
  ø: 'o',
  đ: 'd',
  æ: 'ae',
  œ: 'oe',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

/**
 * Transliterations of Cyrillic that travel documents and police records use besides
 * the one above (Petrova / Petrowa, Dimitrov / Dimitrow, Zhukov / Jukov / Schukow...):
 * folded forms are compared after these, on both sides.
 */
const VARIANTS: [RegExp, string][] = [
  [/w/g, 'v'],
  [/(sch|sh|ch|kh|zh|j)/g, 'h'],
  [/(ts|tz|cz|c)/g, 'c'],
  [/(y|ij|iy|yj)/g, 'i'],
  [/(.)\1/g, '$1'],
];

/** Lower case, diacritics removed, Cyrillic and Greek transliterated. */
export function fold(text: string): string {
  const lower = text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  let out = '';
  for (const ch of lower) out += CYRILLIC[ch] ?? GREEK[ch] ?? LATIN[ch] ?? ch;
  return out;
}

/** A folded word with spelling variants of transliteration collapsed (for names). */
export function phonetic(word: string): string {
  let w = fold(word);
  for (const [from, to] of VARIANTS) w = w.replace(from, to);
  return w;
}

/** Folded, letters and digits only: "AB 123-45.67" → "ab1234567". */
export function compact(text: string): string {
  return fold(text).replace(/[^a-z0-9]/g, '');
}

/** Words of a text (letters and digits), folded. */
export function words(text: string): string[] {
  return fold(text)
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}
