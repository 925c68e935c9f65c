import { type Html, html } from './html.js';

/**
 * Charts as inline SVG written on the server (docs/decisions/0016): no script, no
 * external asset, nothing the strict CSP has to allow (colours are SVG presentation
 * attributes, not style). Each chart is an `<svg role="img">` with a `<title>` and a
 * `<desc>` summing it up, followed by the same figures as a table (its text
 * alternative, for screen readers and for anyone who would rather read).
 */
export interface Series {
  name: string;
  values: readonly number[];
  /** A fill colour the station chose (never data). */
  colour: string;
}

export interface BarChart {
  /** A unique id on the page (for aria-labelledby). */
  id: string;
  title: string;
  /** One line that says what the chart shows, read out by screen readers. */
  summary: string;
  /** Category labels along the axis: weeks, partners, agencies. */
  categories: readonly string[];
  /** Stacked in this order. */
  series: readonly Series[];
}

/** Colours by sharing level and by outcome, distinguishable in greyscale too. */
export const COLOURS = {
  operational: '#1f4e79',
  strategic: '#7fb2e5',
  none: '#bbbbbb',
  inTime: '#2e7d32',
  late: '#c62828',
  open: '#9e9e9e',
  overdue: '#ef6c00',
} as const;

const W = 720;
const ROW = 22;
const LABEL_W = 150;

const totals = (c: BarChart) =>
  c.categories.map((_, i) => c.series.reduce((n, s) => n + (s.values[i] ?? 0), 0));

function legend(c: BarChart, y: number): Html {
  let x = LABEL_W;
  const items = c.series.map((s) => {
    const at = x;
    x += 28 + s.name.length * 7;
    return html`<rect x="${at}" y="${y}" width="12" height="12" fill="${s.colour}"></rect>
      <text x="${at + 16}" y="${y + 11}" font-size="12">${s.name}</text>`;
  });
  return html`<g class="legend" aria-hidden="true">${items}</g>`;
}

function dataTable(c: BarChart): Html {
  return html`<table class="chart-data" id="${c.id}-data"><caption>${c.title} (figures)</caption>
    <thead><tr><th scope="col"></th>${c.series.map((s) => html`<th scope="col">${s.name}</th>`)}<th scope="col">total</th></tr></thead>
    <tbody>${c.categories.map(
      (
        cat,
        i,
      ) => html`<tr><th scope="row">${cat}</th>${c.series.map((s) => html`<td>${s.values[i] ?? 0}</td>`)}
        <td>${totals(c)[i]}</td></tr>`,
    )}</tbody></table>`;
}

/** Horizontal stacked bars, one row per category (partners, agencies, weeks). */
export function stackedBars(c: BarChart): Html {
  const max = Math.max(1, ...totals(c));
  const plot = W - LABEL_W - 60;
  const height = Math.max(1, c.categories.length) * ROW + 40;
  const rows = c.categories.map((cat, i) => {
    let x = LABEL_W;
    const y = 8 + i * ROW;
    const parts = c.series.map((s) => {
      const v = s.values[i] ?? 0;
      const w = (v / max) * plot;
      const r =
        v > 0
          ? html`<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${ROW - 6}" fill="${s.colour}"><title>${cat}: ${s.name} ${v}</title></rect>`
          : '';
      x += w;
      return r;
    });
    return html`<g><text x="${LABEL_W - 6}" y="${y + 12}" font-size="12" text-anchor="end">${cat}</text>${parts}
      <text x="${(x + 4).toFixed(1)}" y="${y + 12}" font-size="11">${totals(c)[i]}</text></g>`;
  });
  return html`<figure class="chart">
  <svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 ${W} ${height}" width="100%"
    aria-labelledby="${c.id}-title ${c.id}-desc">
    <title id="${c.id}-title">${c.title}</title>
    <desc id="${c.id}-desc">${c.summary}</desc>
    ${c.categories.length === 0 ? html`<text x="${LABEL_W}" y="20" font-size="12">nothing in this period</text>` : rows}
    ${legend(c, height - 18)}
  </svg>
  <figcaption>${c.title}. ${c.summary}</figcaption>
  <details><summary>The figures as a table</summary>${dataTable(c)}</details>
</figure>`;
}

/** "1 entry", "2 entries": counts in the charts' text alternatives. */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The Monday (UTC) of the week holding `ms`, as YYYY-MM-DD: the x axis of traffic over time. */
export function weekOf(ms: number): string {
  const d = new Date(ms);
  const day = (d.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day))
    .toISOString()
    .slice(0, 10);
}

/** Counts by (category, series) into a chart's series, categories sorted. */
export function tally(
  items: Iterable<{ category: string; series: string }>,
  series: readonly { name: string; colour: string }[],
  order: 'asc' | 'byTotal' = 'asc',
): { categories: string[]; series: Series[] } {
  const counts = new Map<string, Map<string, number>>();
  for (const it of items) {
    const row = counts.get(it.category) ?? new Map<string, number>();
    row.set(it.series, (row.get(it.series) ?? 0) + 1);
    counts.set(it.category, row);
  }
  const sum = (k: string) => [...(counts.get(k)?.values() ?? [])].reduce((a, b) => a + b, 0);
  const categories = [...counts.keys()].sort(order === 'asc' ? undefined : (a, b) => sum(b) - sum(a));
  return {
    categories,
    series: series.map((s) => ({ ...s, values: categories.map((c) => counts.get(c)?.get(s.name) ?? 0) })),
  };
}
