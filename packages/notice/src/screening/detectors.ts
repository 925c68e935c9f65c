import {
  belgianNnOk,
  bsnOk,
  cnpOk,
  containerOk,
  dniOk,
  egnOk,
  IBAN_LENGTH,
  ibanOk,
  luhnOk,
  mrzCheckDigit,
  peselOk,
  rodneCisloOk,
} from './check-digits.js';
import { afterBirthWord, birthYearMentioned, eventDate, findDates } from './dates.js';
import { fold } from './normalise.js';

/** What a hit looked like: a class, never the value. */
export type IdentifierClass =
  | 'own-value'
  | 'mrz'
  | 'iban'
  | 'payment-card'
  | 'national-id'
  | 'document-number'
  | 'vin'
  | 'plate'
  | 'booking-locator'
  | 'ip-address'
  | 'email'
  | 'phone'
  | 'date-of-birth'
  | 'address'
  | 'name';

export interface DetectorContext {
  /** Current year: a person of 14 or more may hold a date of birth in any earlier year. */
  nowYear: number;
}

type Detector = (text: string, ctx: DetectorContext) => boolean;

const DOB_MIN_AGE_YEARS = 14;
const DOB_EARLIEST_YEAR = 1915;

const mrz: Detector = (text) => {
  const t = text.toUpperCase().replace(/[ \t]/g, '');
  if (/[A-Z0-9<]{28,44}/.test(t) && /<</.test(t) && /^|[^A-Z0-9<](P|I|A|C|V)[A-Z<][A-Z]{3}/.test(t))
    return true;
  // A TD3 second line: document number, check digit, nationality, birth date …
  for (const m of t.matchAll(/([A-Z0-9<]{9})(\d)([A-Z<]{3})(\d{6})(\d)[MFX<](\d{6})(\d)/g)) {
    if (mrzCheckDigit(m[1]!) === Number(m[2]) || mrzCheckDigit(m[4]!) === Number(m[5])) return true;
  }
  return false;
};

const iban: Detector = (text) => {
  for (const m of text.matchAll(/\b([A-Za-z]{2})\s?(\d{2})((?:[\s-]?[A-Za-z0-9]){10,32})/g)) {
    const country = m[1]!.toUpperCase();
    const rest = m[3]!.replace(/[\s-]/g, '');
    const length = IBAN_LENGTH[country];
    if (!length) continue; // a country without IBANs in the table: not guessed
    for (const n of [length]) {
      const body = rest.slice(0, n - 4);
      if (body.length === n - 4 && ibanOk(`${country}${m[2]}${body}`)) return true;
    }
  }
  return false;
};

const paymentCard: Detector = (text) => {
  for (const m of text.matchAll(/(?<![+\d])\b([3-6]\d{3}(?:[ -]?\d){9,15})\b/g)) {
    const ds = m[1]!.replace(/\D/g, '');
    if (ds.length >= 13 && ds.length <= 19 && luhnOk(ds)) return true;
  }
  return false;
};

/** National identity numbers of EU states by structure and check digit. */
const nationalId: Detector = (text) => {
  for (const m of text.matchAll(/(?<![\d.,/])\b(\d[\d .\-/]{8,16}\d)\b(?![.,/]\d)/g)) {
    const raw = m[1]!;
    const ds = raw.replace(/\D/g, '');
    if (/^\d{4}[/-]\d{1,4}$/.test(raw)) continue; // legal citation "2016/681"
    if (ds.length === 11 && (peselOk(ds) || belgianNnOk(ds))) return true;
    if (ds.length === 10 && (egnOk(ds) || rodneCisloOk(ds))) return true;
    if (ds.length === 13 && cnpOk(ds)) return true;
    if (ds.length === 9 && bsnOk(ds)) return true;
    if (ds.length === 15 && /^[12]\d{2}(0[1-9]|1[0-2]|[2-9]\d)\d{9}$/.test(ds)) {
      const key = 97 - (Number(ds.slice(0, 13)) % 97);
      if (key === Number(ds.slice(13))) return true; // French NIR
    }
  }
  // Nordic personal numbers: ddmmyy-nnnn (SE, DK), ddmmyy[-+A]nnnX (FI).
  if (/\b(0[1-9]|[12]\d|3[01])(0[1-9]|1[0-2])\d{2}[-+A]\d{3}[0-9A-Y]\b/i.test(text)) return true;
  if (/\b\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])[-+]\d{4}\b/.test(text)) return true;
  // Spanish DNI / NIE, Italian codice fiscale.
  for (const m of text.matchAll(/\b([XYZxyz]?[\s-]?\d{7,8}[\s-]?[A-Za-z])\b/g))
    if (dniOk(m[1]!.replace(/[\s-]/g, ''))) return true;
  return /\b[A-Z]{6}\d{2}[A-EHLMPRST]\d{2}[A-Z]\d{3}[A-Z]\b/i.test(text);
};

/** Words that announce an identifier; after one, a shorter or all-digit token counts. */
const ID_WORDS =
  /\b(passport|pass|passeport|pasaporte|passaporto|paszport|paspoort|reisepass|ausweis|personalausweis|id|identity|identite|identidad|document|dokument|documento|doc|card|carte|karte|no|nr|num|number|numero|nummer|serial|licen[cs]e|permit|permis|permiso|patente|rijbewijs|fuhrerschein|visa|titre|tag|ticket|pasport|pasporta|nomer|diavatirio|tautotita)\b[\s.:#°º'-]*(?:no|nr|number|n)?[\s.:#°º-]*$/;

/** Tokens of a folded text with where each starts and the separator before the next. */
function tokens(folded: string): { text: string; index: number; next: string }[] {
  const out: { text: string; index: number; next: string }[] = [];
  for (const m of folded.matchAll(/[a-z0-9]+/g)) {
    const end = m.index + m[0].length;
    out.push({ text: m[0], index: m.index, next: folded.slice(end, end + 2) });
  }
  return out;
}

const YEAR = /^(19|20)\d{2}$/;

const documentNumber: Detector = (text) => {
  // Lower case but not folded, so that positions match the original (case matters below).
  const folded = text.toLowerCase();
  const ts = tokens(folded);
  // Letters and digits, possibly split by single spaces or dashes: "AB 123 4567", "c4j-7k2l9".
  for (let i = 0; i < ts.length; i++) {
    const announced = ID_WORDS.test(fold(text.slice(Math.max(0, ts[i]!.index - 30), ts[i]!.index)));
    let joined = '';
    for (let j = i; j < Math.min(ts.length, i + 4); j++) {
      const part = ts[j]!.text;
      if (/^[a-z]{4,}$/.test(part) || (YEAR.test(part) && j > i)) break; // a word or a year: prose, a reference
      if (YEAR.test(part) && !announced) break;
      // Letters on their own ("AB 123 4567") are a prefix only when written in capitals.
      const original = text.slice(ts[j]!.index, ts[j]!.index + part.length);
      if (
        !announced &&
        /^[a-z]+$/.test(part) &&
        (original !== original.toUpperCase() || NOT_PLATE.has(original))
      )
        break;
      joined += part;
      const token = joined;
      const nd = token.replace(/\D/g, '').length;
      const nl = token.length - nd;
      const single = j === i;
      const ok =
        !containerOk(token) &&
        !imoOk(token) &&
        ((token.length >= 6 &&
          token.length <= 12 &&
          nl >= 1 &&
          nl <= 3 &&
          nd >= 5 &&
          /^[a-z]{1,3}\d/.test(token)) ||
          (announced && token.length >= 6 && token.length <= 16 && nl >= 1 && nd >= 4) ||
          (single &&
            token.length >= 6 &&
            token.length <= 12 &&
            nl >= 2 &&
            nd >= 4 &&
            /\d[a-z]+\d/.test(token)) ||
          (announced && nl === 0 && nd >= 6 && nd <= 12) ||
          (single && nl === 0 && nd === 9));
      if (ok) return true;
      const sep = ts[j]!.next;
      if (!/^[ -][a-z0-9]/.test(sep)) break;
    }
  }
  return false;
};

/** IMO ship identification number (7 digits, the last a check digit). */
function imoOk(token: string): boolean {
  const m = /^imo(\d{7})$/.exec(token);
  if (!m) return false;
  const d = m[1]!;
  const sum = [7, 6, 5, 4, 3, 2].reduce((a, w, i) => a + Number(d[i]) * w, 0);
  return sum % 10 === Number(d[6]);
}

const vin: Detector = (text) => {
  for (const m of text.toUpperCase().matchAll(/\b([A-HJ-NPR-Z0-9]{17})\b/g)) {
    const v = m[1]!;
    if (/\d/.test(v) && /[A-Z]/.test(v) && /\d{4,}$/.test(v)) return true;
  }
  return false;
};

/** Acronyms that stand before numbers in ordinary prose, not on number plates. */
const NOT_PLATE = new Set(
  'OJ RFC ISO EN CEN EUR USD GBP CHF SEK PLN CZK HUF RON BGN DKK NOK ART SIS TLP IMO HS COM SWD EU UN EES VIS API PNR OAP NUTS IATA ICAO KL LH AF BA FR OS LX SN IB AZ TK CAT NO NR'.split(
    ' ',
  ),
);

const PLATES: RegExp[] = [
  /(?<![\w-])([A-Z]{1,2})[ -]\d{3,4}[ -][A-Z]{1,2}(?![\w-])/g, // BG, RO "CA 4417 KM"
  /(?<![\w-])([A-Z]{2})-\d{3}-[A-Z]{2}(?![\w-])/g, // FR, IT "AB-123-CD"
  /(?<![\w-])([A-ZÄÖÜ]{1,3})[ -][A-Z]{1,2}[ -]?\d{1,4}[EH]?(?![\w-])/g, // DE "M-AB 1234"
  /(?<![\w-])(\d)-[A-Z]{3}-\d{3}(?![\w-])/g, // BE "1-ABC-123"
  /(?<![\w-])([A-Z]{2})-\d{2,3}-[A-Z]{1,3}(?![\w-])|(?<![\w-])(\d{2})-[A-Z]{3}-\d(?![\w-])/g, // NL
  /(?<![\w-])([A-Z]{1,2})[ -]?\d{3,5}[A-Z]{1,2}(?![\w-])/g, // AT "W-12345X"
  /(?<![\w-])([A-Z]{2,3}) \d{3,5}(?![\w-]|\s\d)/g, // PL, GR, SE, LT "WX 12345", "ABC 123"
  /(?<![\w-])(\d{4})[ -]?[BCDFGHJKLMNPRSTVWXYZ]{3}(?![\w-])/g, // ES "1234 BCD"
  /(?<![\w-])(\d{2}) [A-Z]{3} \d{2,3}(?![\w-])/g, // TR "34 ABC 123"
];

/** Number plates in the forms of the EU states and neighbours (upper case, as written on plates). */
const plate: Detector = (text) =>
  PLATES.some((re) => [...text.matchAll(re)].some((m) => !NOT_PLATE.has((m[1] ?? m[2] ?? '').toUpperCase())));

const bookingLocator: Detector = (text) => {
  const folded = fold(text);
  if (
    /\b(pnr|booking|locator|reservation|reservierung|buchung\w*|reservation|localizador|prenotazione|rezerwac\w*|boeking\w*)\b[\s.:#-]*(code|ref\w*|nr|no)?[\s.:#-]*[a-z0-9]{5,8}\b/.test(
      folded,
    )
  )
    return true;
  for (const m of text.matchAll(/(?<![\w-])([A-Z0-9]{6})(?![\w-])/g)) {
    const t = m[1]!;
    const nd = t.replace(/\D/g, '').length;
    const flight = /^[A-Z0-9]{2}\d{1,4}[A-Z]?$/.test(t) && /^[A-Z]{2}|^[A-Z]\d|^\d[A-Z]/.test(t);
    if (nd >= 1 && 6 - nd >= 2 && !flight && !/^\d{4}[QH]\d$/.test(t) && !/^[A-Z]+\d+$/.test(t)) return true;
  }
  return false;
};

const ipAddress: Detector = (text) => {
  for (const m of text.matchAll(/(?<![§\d.])\b(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\b(?!\.\d)/g)) {
    const before = fold(text.slice(Math.max(0, m.index - 12), m.index));
    if (/(section|art|§|sec|para|version|v)\W*$/.test(before)) continue;
    if ([m[1], m[2], m[3], m[4]].every((p) => Number(p) <= 255)) return true;
  }
  return /\b(?:[0-9a-f]{1,4}:){3,7}[0-9a-f]{1,4}\b|\b(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}:?){1,6}/i.test(
    text,
  );
};

/** Local parts that name a function, not a person ("sirene@…", "o24@…"). */
const FUNCTIONAL_MAILBOX =
  /^(info|contact|desk|sirene|spoc|piu|o24|operations?|ops|duty|dutyofficer|front-?office|press|secretariat|registry|enu|ncb|interpol|europol|frontex|helpdesk|support|service|office|mailbox|pcc|ccpc|nfpoc|eurodac|sis|noreply)([._-].*)?$/;

const email: Detector = (text) => {
  const t = fold(text)
    .replace(/\s*[([{<]\s*(at|@)\s*[)\]}>]\s*|\s+(at)\s+(?=[a-z0-9-]+\s*(\.|[([{<]?\s*dot))/g, '@')
    .replace(/\s*[([{<]\s*(dot|punkt|point)\s*[)\]}>]\s*|\s+(dot|punkt|point)\s+/g, '.')
    .replace(/\s*@\s*/g, '@');
  for (const m of t.matchAll(/([a-z0-9._%+-]+)@([a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})/g)) {
    if (!FUNCTIONAL_MAILBOX.test(m[1]!)) return true;
  }
  return false;
};

const phone: Detector = (text) => {
  for (const m of text.matchAll(/(?:\+|\b00)\s?\(?\d{1,3}\)?(?:[\s./-]?\(?\d\)?){6,13}/g)) {
    const ds = m[0].replace(/\D/g, '');
    if (ds.length >= 8) return true;
  }
  // National forms: a trunk 0, then 8-12 more digits in groups ("0664 123 45 67", "(030) 1234567").
  for (const m of text.matchAll(/(?<![\d/.,])\(?0\d{1,4}\)?(?:[\s./-]?\d{2,8}){1,4}(?![\d/])/g)) {
    const ds = m[0].replace(/\D/g, '');
    if (ds.length >= 9 && ds.length <= 13 && /[\s./()-]/.test(m[0])) return true;
    if (ds.length >= 10 && ds.length <= 11 && /^0[1-9]/.test(ds)) return true;
  }
  const folded = fold(text);
  return /\b(tel|phone|mobile|mob|gsm|handy|telefon|telephone|telefono|tlf|cell)\b[\s.:+]*\d[\d\s./-]{6,}\d/.test(
    folded,
  );
};

const dateOfBirth: Detector = (text, ctx) => {
  const latest = ctx.nowYear - DOB_MIN_AGE_YEARS;
  for (const d of findDates(text, ctx.nowYear)) {
    if (afterBirthWord(text, d.index)) return true;
    if (d.y >= DOB_EARLIEST_YEAR && d.y <= latest && !eventDate(text, d.index)) return true;
  }
  return birthYearMentioned(text);
};

const STREET_WORDS =
  'strasse|str|gasse|weg|allee|platz|ring|damm|ufer|street|st|road|rd|avenue|ave|lane|drive|rue|avenue|boulevard|bd|chemin|impasse|place|quai|calle|avenida|plaza|paseo|via|viale|corso|piazza|vicolo|straat|laan|gracht|plein|ulica|ul|aleja|al|ulitsa|ul|prospekt|bulevard|bul|odos|rua|travessa|katu|tie|gatan|vagen|gade|vej|utca|ut|namesti|trida';

/** Street words that end compounds ("Hauptstraße", "Kerkstraat", "Storgatan"). */
const COMPOUND_STREET_WORDS =
  'strasse|str|gasse|weg|allee|platz|ring|damm|ufer|straat|laan|gracht|plein|gatan|vagen|gade|vej|katu|tie|utca';

const address: Detector = (text) => {
  const t = fold(text);
  const street = new RegExp(
    `\\b(${STREET_WORDS})\\b\\.?\\s*[a-z][a-z .'-]{1,40}?,?\\s*(no\\.?\\s*)?\\d{1,4}[a-z]?\\b`,
  );
  const streetAfter = new RegExp(
    `\\b[a-z][a-z-]{2,40}(${COMPOUND_STREET_WORDS})\\b\\.?\\s*\\d{1,4}[a-z]?\\b`,
  );
  const numberFirst = new RegExp(`\\b\\d{1,4}[a-z]?,?\\s+(${STREET_WORDS})\\b`);
  const numberThenName = new RegExp(`\\b\\d{1,4}[a-z]?,?\\s+[a-z][a-z'-]{2,30}\\s+(${STREET_WORDS})\\b`);
  const nameStreetNumber = new RegExp(`\\b[a-z][a-z'-]{2,30}\\s+(${STREET_WORDS})\\.?\\s+\\d{1,4}[a-z]?\\b`);
  const postcodeCity =
    /\b(\d{4,5}|[a-z]{1,2}\d{1,2}[a-z]?\s\d[a-z]{2})\s+[a-z][a-z-]{2,}\b.*\b(apartment|apt|flat|wohnung|appartement|piso|interno|mieszkanie|stiege|top)\b/;
  return (
    street.test(t) ||
    streetAfter.test(t) ||
    numberFirst.test(t) ||
    numberThenName.test(t) ||
    nameStreetNumber.test(t) ||
    postcodeCity.test(t)
  );
};

/** Titles and words before a person's name, folded. */
const NAME_CUES =
  /\b(mr|mrs|ms|miss|herr|frau|monsieur|madame|mme|mlle|senor|senora|sr|sra|signor|signora|sig|pan|pani|gospodin|gospozha|g-n|g-zha|kyrios|kyria|named|called|alias|aka|a\.k\.a|genannt|dit|dite|llamad[oa]|detto|zwany|surname|nachname|nom|apellido|cognome|nazwisko|given names?|vorname|prenom|nombre|familienname|imya|familiya)\b\.?:?[\s'"„“”«»]+(der |die |the |el |le )?[a-z]/;

const name: Detector = (text) => {
  if (NAME_CUES.test(fold(text))) return true;
  // Two capitalised Cyrillic or Greek words in a row: a name (places come as one word).
  if (
    /\p{Lu}[\p{Ll}]+\s+\p{Lu}[\p{Ll}]+/u.test(text.replace(/[A-Za-z]/g, '#')) &&
    /[\u0400-\u04FF\u0370-\u03FF]/.test(text)
  )
    return /(?:[\u0400-\u04FF\u0370-\u03FF]*\p{Lu}[\u0400-\u04FF\u0370-\u03FF]+\s+){1,2}\p{Lu}[\u0400-\u04FF\u0370-\u03FF]+/u.test(
      text,
    );
  // Police convention: SURNAME, Given name(s).
  return /\b\p{Lu}{3,}(?:[-' ]\p{Lu}{2,})?,\s*\p{Lu}\p{Ll}+/u.test(text);
};

/** The structural detectors, in the order they are tried (cheapest and surest first). */
export const DETECTORS: readonly [IdentifierClass, Detector][] = [
  ['email', email],
  ['mrz', mrz],
  ['iban', iban],
  ['payment-card', paymentCard],
  ['national-id', nationalId],
  ['phone', phone],
  ['ip-address', ipAddress],
  ['vin', vin],
  ['document-number', documentNumber],
  ['booking-locator', bookingLocator],
  ['plate', plate],
  ['date-of-birth', dateOfBirth],
  ['address', address],
  ['name', name],
];
