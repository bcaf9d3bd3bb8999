// Output of `check` (text, json) and `status` (table, json, markdown). The JSON shapes are a
// contract other tools read (docs/live-checks.md); text and tables are for people.
import { formatDuration, parseDuration } from '../config/duration.js';
import { formatProblem } from '../config/errors.js';
import type { CheckReport, LiveProblem } from './check.js';
import type { StatusRow } from './status.js';

export const CHECK_FORMATS = ['text', 'json'] as const;
export const STATUS_FORMATS = ['table', 'json', 'markdown'] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];
export type StatusFormat = (typeof STATUS_FORMATS)[number];

/** Where the config came from, to name file:line in problems. */
export interface Source {
  raw: unknown;
  file: string;
}

function problemJson(p: LiveProblem): Record<string, string> {
  return {
    service: p.subject.service,
    [p.subject.kind]: p.subject.name,
    field: p.field.join('.'),
    message: p.message,
  };
}

export function formatCheck(report: CheckReport, format: CheckFormat, source: Source, url: string): string {
  if (format === 'json') return `${JSON.stringify({ problems: report.problems.map(problemJson), checked: report.checked }, null, 2)}\n`;
  const lines = report.problems.map((p) =>
    formatProblem({ path: [...p.subject.path, ...p.field], message: p.message }, source.raw, source.file),
  );
  for (const g of report.groups) {
    lines.push(
      `${g.subject.service} > ${g.subject.kind === 'slo' ? 'SLO' : 'threshold'} "${g.subject.name}": grouped by ${g.label}, ${g.values} value${g.values === 1 ? '' : 's'} now`,
    );
  }
  const n = report.problems.length;
  lines.push(
    `checked ${report.checked} SLO(s) and threshold(s) against ${url}: ${n === 0 ? 'no problems' : `${n} problem${n === 1 ? '' : 's'}`}`,
  );
  return `${lines.join('\n')}\n`;
}

function pct(n: number | null, digits = 3): string {
  return n === null ? '-' : `${n.toFixed(digits)}%`;
}

function fraction(n: number | null): string {
  return n === null ? '-' : `${(n * 100).toFixed(1)}%`;
}

function rate(n: number | null): string {
  if (n === null) return '-';
  return n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2);
}

function groupText(g: Record<string, string> | null): string {
  return g === null
    ? ''
    : Object.entries(g)
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
}

function sliText(r: StatusRow): string {
  const base = pct(r.sli);
  if (r.sli === null) return base;
  if (r.source === 'raw') return `${base} (raw series)`;
  const periodMs = parseDuration(r.period);
  if (r.periodCovered !== null && r.periodCovered < 0.999 && periodMs !== undefined) {
    // Said as a duration: "over 2h13m of 30d" reads better than a fraction of a percent.
    const held = r.periodCovered * periodMs;
    const unit = held >= 3_600_000 ? 60_000 : 1000;
    return `${base} (over ${formatDuration(Math.max(unit, Math.round(held / unit) * unit))} of ${r.period})`;
  }
  return base;
}

function burnText(r: StatusRow): string {
  return Object.entries(r.burnRates)
    .map(([w, v]) => `${w} ${rate(v)}`)
    .join('  ');
}

function cells(r: StatusRow): string[] {
  return [
    r.service,
    r.slo,
    groupText(r.group),
    `${r.objective}%`,
    r.period,
    sliText(r),
    fraction(r.budgetRemaining),
    burnText(r),
    r.firing.join(', '),
  ];
}

const HEADERS = ['SERVICE', 'SLO', 'GROUP', 'OBJECTIVE', 'PERIOD', 'SLI', 'BUDGET LEFT', 'BURN RATE BY WINDOW', 'FIRING'];

function table(rows: readonly StatusRow[]): string {
  const body = rows.map(cells);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...body.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) =>
    c
      .map((x, i) => x.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return `${[line(HEADERS), ...body.map(line)].join('\n')}\n`;
}

function markdown(rows: readonly StatusRow[], url: string): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const head = ['Service', 'SLO', 'Group', 'Objective', 'Period', 'SLI', 'Budget left', 'Burn rate by window', 'Firing'];
  const firing = rows.filter((r) => r.firing.length > 0).length;
  const spent = rows.filter((r) => r.budgetRemaining !== null && r.budgetRemaining <= 0).length;
  const lines = [
    `### SLO status`,
    '',
    `${rows.length} SLO row(s) from ${url}: ${firing === 0 ? 'no alert firing' : `**${firing} with alerts firing**`}, ${spent === 0 ? 'no error budget spent' : `**${spent} with the error budget spent**`}.`,
    '',
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map(
      (r) =>
        `| ${cells(r)
          .map((c, i) => (i === 8 && c !== '' ? `**${esc(c)}**` : esc(c)))
          .join(' | ')} |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

export function formatStatus(rows: readonly StatusRow[], format: StatusFormat, url: string): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify({ slos: rows }, null, 2)}\n`;
    case 'table':
      return rows.length === 0 ? 'no SLOs selected\n' : table(rows);
    case 'markdown':
      return markdown(rows, url);
  }
}
