// Many small questions in few queries. Each question is an aggregation of one expression (a
// `count(...)`, a `group by (le) (...)`); up to ITEMS_PER_QUERY of them go into one instant query
// joined by `or`, each tagged with its index by label_replace, so the answer splits back per
// question. A 1,000-SLO config is thus a few dozen requests, not thousands. One expression that
// Prometheus refuses (a user's threshold with a many-to-many match) would fail its whole batch:
// the batch then splits in halves until the refused question stands alone with its error.
import { PrometheusError, QueryError, type PrometheusClient, type Sample } from './client.js';

/** The label that carries a question's index through the joined query. */
export const ITEM_LABEL = 'sloforge_item';
const ITEMS_PER_QUERY = 100;
const CHARS_PER_QUERY = 60_000;
/** Requests in flight at once: enough to hide latency, few enough not to load a shared Prometheus. */
const CONCURRENCY = 4;

/** What Prometheus answered for one question: its samples, or why it refused the expression. */
export type Answer = { samples: Sample[] } | { error: string };

function tagged(expr: string, i: number): string {
  return `label_replace(${expr}, "${ITEM_LABEL}", "${i}", "", "")`;
}

function chunks(exprs: readonly string[]): number[][] {
  const out: number[][] = [];
  let cur: number[] = [];
  let chars = 0;
  exprs.forEach((e, i) => {
    if (cur.length > 0 && (cur.length >= ITEMS_PER_QUERY || chars + e.length > CHARS_PER_QUERY)) {
      out.push(cur);
      cur = [];
      chars = 0;
    }
    cur.push(i);
    chars += e.length + 50;
  });
  if (cur.length > 0) out.push(cur);
  return out;
}

async function pool<T>(jobs: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array<T>(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}

async function askChunk(client: PrometheusClient, exprs: readonly string[], items: number[], answers: Answer[]): Promise<void> {
  let samples: Sample[];
  try {
    samples = await client.query(items.map((i) => tagged(exprs[i]!, i)).join('\nor\n'));
  } catch (err) {
    if (!(err instanceof QueryError)) throw err;
    if (items.length === 1) {
      answers[items[0]!] = { error: err.message.replace(/^[^ ]+: /, '') };
      return;
    }
    const half = Math.ceil(items.length / 2);
    await askChunk(client, exprs, items.slice(0, half), answers);
    await askChunk(client, exprs, items.slice(half), answers);
    return;
  }
  for (const i of items) answers[i] = { samples: [] };
  for (const s of samples) {
    const { [ITEM_LABEL]: tag, ...metric } = s.metric;
    const i = Number(tag);
    const a = answers[i];
    if (tag === undefined || !Number.isInteger(i) || !a || !('samples' in a)) {
      throw new PrometheusError(
        `Prometheus answered a batched query with a series that is none of its questions (${JSON.stringify(s.metric)})`,
      );
    }
    a.samples.push({ metric, value: s.value });
  }
}

/**
 * Evaluates every expression (each an aggregation, so its labels are few) at the current time,
 * in as few queries as the limits allow. Identical expressions are asked once.
 */
export async function evaluateAll(client: PrometheusClient, exprs: readonly string[]): Promise<Answer[]> {
  const unique = [...new Set(exprs)];
  const answers: Answer[] = new Array<Answer>(unique.length);
  await pool(
    chunks(unique).map((items) => () => askChunk(client, unique, items, answers)),
    CONCURRENCY,
  );
  const byExpr = new Map(unique.map((e, i) => [e, answers[i]!]));
  return exprs.map((e) => byExpr.get(e)!);
}

/** The single value of a `count(...)` answer: 0 when empty, undefined when refused. */
export function countOf(a: Answer): number | undefined {
  if ('error' in a) return undefined;
  return a.samples.reduce((n, s) => n + (Number.isFinite(s.value) ? s.value : 0), 0);
}
