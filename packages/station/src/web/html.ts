/**
 * Server-rendered HTML with escaping by default: every `${value}` in an `html`
 * template is escaped unless it is itself `Html` (made by `html` or `raw`). A
 * notice body containing `<script>` is shown as text.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

type Part = Html | string | number | boolean | undefined | null | readonly Part[];

function render(v: Part): string {
  if (v === undefined || v === null || v === false) return '';
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
}

export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!;
  });
  return new Html(out);
}

/** Only for markup the station itself wrote (never for data). */
export function raw(s: string): Html {
  return new Html(s);
}

export interface PageOptions {
  title: string;
  officer?: { displayName: string; role: string } | undefined;
  csrf?: string | undefined;
  agency: string;
  nav?: readonly { href: string; label: string }[];
  /** The product line in the header and title (default "Liaison station"). */
  brand?: string;
  /** Reload the page after this many seconds (progress of a background job; no script needed). */
  refreshSeconds?: number;
}

export function page(o: PageOptions, body: Html): string {
  const nav = o.officer
    ? html`<nav aria-label="main"><ul>
        ${(o.nav ?? []).map((n) => html`<li><a href="${n.href}">${n.label}</a></li>`)}
      </ul>
      <form method="post" action="/logout" class="logout">
        <input type="hidden" name="_csrf" value="${o.csrf}">
        <span>${o.officer.displayName} (${o.officer.role})</span>
        <button type="submit">Log out</button>
      </form></nav>`
    : '';
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${o.refreshSeconds ? html`<meta http-equiv="refresh" content="${o.refreshSeconds}">` : ''}
<title>${o.title} — ${o.brand ?? 'Liaison station'} ${o.agency}</title>
<link rel="stylesheet" href="/static/console.css">
</head>
<body>
<header><p class="brand">${o.brand ?? 'Liaison station'} <strong>${o.agency}</strong></p>${nav}</header>
<main id="main">
<h1>${o.title}</h1>
${body}
</main>
</body>
</html>
`.value;
}
