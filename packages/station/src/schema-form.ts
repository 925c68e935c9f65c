import { bodyJsonSchema, type NoticeKind } from '@liaison/notice';

/**
 * A publish form built from a kind's JSON Schema (`bodyJsonSchema`, the same export
 * other-language clients get): one field per leaf, nested objects flattened to dotted
 * names, each carrying the schema's personal / free-text mark so the console can show
 * it. What the schema describes but a plain input cannot (arrays of objects, `$ref`)
 * is a JSON field. The form only shapes input; `validateNotice` decides.
 */
export interface FormField {
  /** Dotted path in the body, e.g. `person.surname`. */
  name: string;
  input: 'text' | 'textarea' | 'select' | 'datetime' | 'date' | 'number' | 'list' | 'json';
  required: boolean;
  /** Personal data: goes only to operational recipients. */
  personal: boolean;
  /** Non-personal free text bound for strategic recipients: screened. */
  freeText: boolean;
  options?: string[];
  description?: string;
  maxLength?: number;
}

interface Schema {
  type?: string;
  enum?: unknown[];
  format?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  personal?: boolean;
  freeText?: boolean;
  description?: string;
  maxLength?: number;
}

function fieldsOf(s: Schema, path: string[], required: boolean, personal: boolean): FormField[] {
  const mark = { personal: s.personal ?? personal, freeText: s.freeText === true };
  const base = {
    name: path.join('.'),
    required,
    ...mark,
    ...(s.description ? { description: s.description } : {}),
    ...(s.maxLength ? { maxLength: s.maxLength } : {}),
  };
  if (s.type === 'object' && s.properties)
    return Object.entries(s.properties).flatMap(([k, child]) =>
      fieldsOf(child, [...path, k], required && (s.required ?? []).includes(k), mark.personal),
    );
  if (s.enum) return [{ ...base, input: 'select', options: s.enum.map(String) }];
  if (s.type === 'array') return [{ ...base, input: s.items?.type === 'string' ? 'list' : 'json' }];
  if (s.type === 'number' || s.type === 'integer') return [{ ...base, input: 'number' }];
  if (s.format === 'date-time') return [{ ...base, input: 'datetime' }];
  if (s.format === 'date') return [{ ...base, input: 'date' }];
  if (s.type === 'string')
    return [{ ...base, input: (s.maxLength ?? 0) > 300 || mark.freeText ? 'textarea' : 'text' }];
  return [{ ...base, input: 'json' }];
}

/** The form of a kind's body, in schema order. */
export function formFields(kind: NoticeKind): FormField[] {
  const s = bodyJsonSchema(kind) as Schema;
  return Object.entries(s.properties ?? {}).flatMap(([k, child]) =>
    fieldsOf(child, [k], (s.required ?? []).includes(k), false),
  );
}

/** A field that could not be read (JSON that does not parse, a number that is not one). */
export interface FormProblem {
  path: string;
  message: string;
}

function readField(f: FormField, raw: string): { value?: unknown; problem?: string } {
  const v = raw.trim();
  switch (f.input) {
    case 'number':
      return Number.isFinite(Number(v)) ? { value: Number(v) } : { problem: 'not a number' };
    case 'datetime': {
      // <input type="datetime-local"> has no zone: the console says the time is UTC.
      const d = new Date(/[zZ]|[+-]\d\d:\d\d$/.test(v) ? v : `${v}Z`);
      return Number.isNaN(d.getTime()) ? { problem: 'not a date and time' } : { value: d.toISOString() };
    }
    case 'list':
      return {
        value: v
          .split('\n')
          .map((x) => x.trim())
          .filter(Boolean),
      };
    case 'json':
      try {
        return { value: JSON.parse(v) };
      } catch {
        return { problem: 'not valid JSON' };
      }
    default:
      return { value: v };
  }
}

/** Reads a posted form (`body.<path>` fields) back into a notice body; empty fields are left out. */
export function bodyFromForm(
  kind: NoticeKind,
  form: Record<string, unknown>,
): { body: Record<string, unknown>; problems: FormProblem[] } {
  const body: Record<string, unknown> = {};
  const problems: FormProblem[] = [];
  for (const f of formFields(kind)) {
    const raw = form[`body.${f.name}`];
    if (typeof raw !== 'string' || raw.trim() === '') continue;
    const { value, problem } = readField(f, raw);
    if (problem) {
      problems.push({ path: `body.${f.name}`, message: problem });
      continue;
    }
    const path = f.name.split('.');
    let at = body;
    for (const k of path.slice(0, -1)) {
      at[k] ??= {};
      at = at[k] as Record<string, unknown>;
    }
    at[path.at(-1)!] = value;
  }
  return { body, problems };
}

/** The form's values of a body (to show a form again as the officer filled it). */
export function formValues(kind: NoticeKind, body: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of formFields(kind)) {
    let v: unknown = body;
    for (const k of f.name.split('.')) v = (v as Record<string, unknown> | undefined)?.[k];
    if (v === undefined) continue;
    out[`body.${f.name}`] =
      f.input === 'list' && Array.isArray(v)
        ? v.join('\n')
        : f.input === 'json'
          ? JSON.stringify(v)
          : f.input === 'datetime'
            ? String(v).slice(0, 16)
            : String(v);
  }
  return out;
}
