import { fold } from './normalise.js';

/** A calendar date found in text, with where it starts (in the folded text). */
export interface FoundDate {
  y: number;
  m: number;
  d: number;
  index: number;
  /** Only a year ("born 1988"). */
  yearOnly?: boolean;
}

/** Month names (folded) in the EU languages the exchange sees most, and in Russian genitive. */
const MONTHS: string[][] = [
  [
    'january',
    'jan',
    'januar',
    'janvier',
    'enero',
    'gennaio',
    'januari',
    'stycznia',
    'styczen',
    'ledna',
    'tammikuuta',
    'ianuarie',
    'yanuari',
    'ianouariou',
    'yanvarya',
    'janeiro',
    'siječnja',
    'sijecnja',
  ],
  [
    'february',
    'feb',
    'februar',
    'fevrier',
    'febrero',
    'febbraio',
    'februari',
    'lutego',
    'luty',
    'unora',
    'helmikuuta',
    'februarie',
    'fevruari',
    'fevrouariou',
    'fevralya',
    'fevereiro',
    'veljace',
  ],
  [
    'march',
    'mar',
    'marz',
    'maerz',
    'mars',
    'marzo',
    'maart',
    'marca',
    'marzec',
    'brezna',
    'maaliskuuta',
    'martie',
    'mart',
    'martiou',
    'marta',
    'marco',
    'ozujka',
  ],
  [
    'april',
    'apr',
    'avril',
    'abril',
    'aprile',
    'kwietnia',
    'kwiecien',
    'dubna',
    'huhtikuuta',
    'aprilie',
    'aprilios',
    'apriliou',
    'aprelya',
    'travnja',
  ],
  [
    'may',
    'mai',
    'mayo',
    'maggio',
    'mei',
    'maja',
    'maj',
    'kvetna',
    'toukokuuta',
    'maiou',
    'maya',
    'maio',
    'svibnja',
  ],
  [
    'june',
    'jun',
    'juni',
    'juin',
    'junio',
    'giugno',
    'czerwca',
    'czerwiec',
    'cervna',
    'kesakuuta',
    'iunie',
    'yuni',
    'iouniou',
    'iyunya',
    'junho',
    'lipnja',
  ],
  [
    'july',
    'jul',
    'juli',
    'juillet',
    'julio',
    'luglio',
    'lipca',
    'lipiec',
    'cervence',
    'heinakuuta',
    'iulie',
    'yuli',
    'iouliou',
    'iyulya',
    'julho',
    'srpnja',
  ],
  [
    'august',
    'aug',
    'aout',
    'agosto',
    'augustus',
    'sierpnia',
    'sierpien',
    'srpna',
    'elokuuta',
    'avgust',
    'avgoustou',
    'avgusta',
    'kolovoza',
  ],
  [
    'september',
    'sep',
    'sept',
    'septembre',
    'septiembre',
    'settembre',
    'wrzesnia',
    'wrzesien',
    'zari',
    'syyskuuta',
    'septembrie',
    'septemvri',
    'septemvriou',
    'sentyabrya',
    'setembro',
    'rujna',
  ],
  [
    'october',
    'oct',
    'oktober',
    'octobre',
    'octubre',
    'ottobre',
    'pazdziernika',
    'rijna',
    'lokakuuta',
    'octombrie',
    'oktomvri',
    'oktovriou',
    'oktyabrya',
    'outubro',
    'listopada',
  ],
  [
    'november',
    'nov',
    'novembre',
    'noviembre',
    'listopada',
    'listopadu',
    'marraskuuta',
    'noiembrie',
    'noemvri',
    'noemvriou',
    'noyabrya',
    'novembro',
    'studenoga',
  ],
  [
    'december',
    'dec',
    'dezember',
    'decembre',
    'diciembre',
    'dicembre',
    'grudnia',
    'grudzien',
    'prosince',
    'joulukuuta',
    'decembrie',
    'dekemvri',
    'dekemvriou',
    'dekabrya',
    'dezembro',
    'prosinca',
  ],
];
const MONTH_OF = new Map<string, number>();
MONTHS.forEach((names, i) => {
  for (const n of names) if (!MONTH_OF.has(n)) MONTH_OF.set(n, i + 1);
});
const MONTH_WORD = `(${[...MONTH_OF.keys()].sort((a, b) => b.length - a.length).join('|')})\\.?`;

/** Words announcing a date of birth, folded (so "né", "рождения", "γεννήθηκε" are covered). */
const BIRTH_WORDS =
  /(?<![a-z])(b\.|d\.o\.b\.?|born|dob|d\.o\.b|birth|birthday|geb|geboren|geburtsdatum|nee?|naissance|nacid[oa]|fecha de nacimiento|nat[oa]|data di nascita|geboortedatum|urodzon[ya]|data urodzenia|narozen[aey]?|rodjen[a]?|syntynyt|fodd|fodt|nascid[oa]|data de nascimento|nascut[aă]?|rodil(?:sya|as)|rozhden|data rozhdeniya|gennithike|genn)(?![a-z])/;

const valid = (y: number, m: number, d: number) => {
  if (m < 1 || m > 12 || d < 1 || d > 31) return false;
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
};

const year4 = (y: string) => Number(y);
const year2 = (y: string, now: number) => {
  const v = Number(y);
  return v + (2000 + v > now ? 1900 : 2000);
};

/** Every date in a text: ISO, d.m.y / d/m/y / d-m-y, compact yyyymmdd / ddmmyyyy, written with a month name. */
export function findDates(text: string, nowYear: number): FoundDate[] {
  const t = fold(text);
  const out: FoundDate[] = [];
  const push = (y: number, m: number, d: number, index: number) => {
    if (valid(y, m, d)) out.push({ y, m, d, index });
  };
  for (const x of t.matchAll(/\b(\d{4})[-./](\d{1,2})[-./](\d{1,2})\b/g))
    push(year4(x[1]!), Number(x[2]), Number(x[3]), x.index);
  for (const x of t.matchAll(/\b(\d{1,2})\s?[-./]\s?(\d{1,2})\s?[-./]\s?(\d{4}|\d{2})\b/g)) {
    const y = x[3]!.length === 4 ? year4(x[3]!) : year2(x[3]!, nowYear);
    push(y, Number(x[2]), Number(x[1]), x.index);
  }
  for (const x of t.matchAll(/\b(19\d{2}|20\d{2})(\d{2})(\d{2})\b/g))
    push(year4(x[1]!), Number(x[2]), Number(x[3]), x.index);
  for (const x of t.matchAll(/\b(\d{2})(\d{2})(19\d{2}|20\d{2})\b/g))
    push(year4(x[3]!), Number(x[2]), Number(x[1]), x.index);
  const written = new RegExp(
    `\\b(\\d{1,2})(?:st|nd|rd|th|er|\\.|º|o)?\\s*(?:of\\s+|de\\s+)?${MONTH_WORD}\\s*,?\\s*(?:de\\s+|del\\s+|of\\s+)?(\\d{4})\\b`,
    'g',
  );
  for (const x of t.matchAll(written)) push(year4(x[3]!), MONTH_OF.get(x[2]!)!, Number(x[1]), x.index);
  const us = new RegExp(`\\b${MONTH_WORD}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b`, 'g');
  for (const x of t.matchAll(us)) push(year4(x[3]!), MONTH_OF.get(x[1]!)!, Number(x[2]), x.index);
  return out;
}

/** A year right after a birth word ("born 1988", "geb. 1979", "né en 1990"). */
export function birthYearMentioned(text: string): boolean {
  const t = fold(text);
  return new RegExp(`${BIRTH_WORDS.source}[\\s.:,]*(?:in|en|im|w|v|nel|em|on)?\\s*(19|20)\\d{2}\\b`).test(t);
}

/** Whether a birth word stands within 40 characters before `index` of the folded text. */
export function afterBirthWord(text: string, index: number): boolean {
  const t = fold(text);
  return BIRTH_WORDS.test(t.slice(Math.max(0, index - 40), index));
}

/**
 * Words before a date that make it a date of something other than a birth: a legal
 * act, a period, an event of the case (folded). Nouns of acts and events count within
 * 40 characters before the date; prepositions only right before it ("of 27 April 2016").
 */
const EVENT_NOUNS =
  /\b(regulation|directive|decision|framework|law|act|convention|agreement|treaty|protocol|judgment|ruling|art|article|oj|official journal|verordnung|richtlinie|beschluss|gesetz|reglement|directiva|reglamento|regolamento|direttiva|rozporzadzenie|dyrektywa|report|reported|seized|seizure|seizures|arrested|arrest|intercepted|adopted|signed|force|effective|valid|published|meeting|operation|period|quarter|issued|expires|expiry|expired|deadline|registered|founded|incorporated|established)\b[^.;]{0,40}$/;
const EVENT_PREPOSITIONS =
  /\b(on|of|am|vom|le|du|el|del|dal|al|op|van|dnia|z|from|since|until|till|to|between|and|seit|bis|depuis|desde|hasta|fino|od|do|tot|sinds|dated|date|in|im|en|w|per|before|after|by)\s*$/;

/** Whether the date at `index` reads as the date of an act, period or event. */
export function eventDate(text: string, index: number): boolean {
  const before = fold(text).slice(Math.max(0, index - 60), index);
  return EVENT_NOUNS.test(before) || EVENT_PREPOSITIONS.test(before);
}
