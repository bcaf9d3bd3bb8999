// The mutation operators: each mutant changes exactly one thing in one rule, and the kinds of
// change the mutation test counts are all there for a burn-rate alert and a recording.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { mutants } from './mutants.js';

const RULES = `groups:
  - name: g
    rules:
      - record: slo:sli_error:ratio_rate5m
        expr: (sum(rate(req_total{job="a",code=~"5.."}[5m])) or vector(0)) / sum(rate(req_total{job="a"}[5m]))
      - record: slo:sli_error:ratio_rate1h
        expr: (sum(rate(req_total{job="a",code=~"5.."}[1h])) or vector(0)) / sum(rate(req_total{job="a"}[1h]))
      - alert: ErrorBudgetBurnFast
        expr: (slo:sli_error:ratio_rate1h{slo="x"} / 0.001 > 14.4 and slo:sli_error:ratio_rate5m{slo="x"} / 0.001 > 14.4)
        for: 2m
        labels:
          severity: critical
`;

const exprOf = (text: string, i: number) =>
  (parse(text) as { groups: Array<{ rules: Array<{ expr: string; for?: string; labels?: Record<string, string> }> }> }).groups[0]!.rules[
    i
  ]!;

test('a burn alert gets its factor x10, /10 and x0.8, its windows removed and lengthened, for: and severity changed', () => {
  const ms = mutants(RULES);
  const alert = ms.filter((m) => m.id.includes('ErrorBudgetBurnFast'));
  const ops = new Set(alert.map((m) => m.op));
  for (const op of [
    'factor x10',
    'factor /10',
    'factor x0.8',
    'short window removed',
    'long window removed',
    'window longer',
    'for removed',
    'for x6',
    'severity swapped',
    'budget x10',
    'comparison flipped',
  ])
    assert.ok(ops.has(op), op);
  const x10 = alert.find((m) => m.op === 'factor x10')!;
  assert.equal(
    exprOf(x10.rules, 2).expr,
    '(slo:sli_error:ratio_rate1h{slo="x"} / 0.001 > 144 and slo:sli_error:ratio_rate5m{slo="x"} / 0.001 > 144)',
  );
  assert.equal(
    exprOf(alert.find((m) => m.op === 'factor x0.8')!.rules, 2).expr,
    '(slo:sli_error:ratio_rate1h{slo="x"} / 0.001 > 11.52 and slo:sli_error:ratio_rate5m{slo="x"} / 0.001 > 11.52)',
  );
  const shortGone = alert.find((m) => m.op === 'short window removed')!;
  assert.equal(exprOf(shortGone.rules, 2).expr, '(slo:sli_error:ratio_rate1h{slo="x"} / 0.001 > 14.4)');
  const longer = alert.filter((m) => m.op === 'window longer').map((m) => exprOf(m.rules, 2).expr);
  // 5m -> 1h is the only longer step here: 1h is the longest window the group records.
  assert.deepEqual(longer, ['(slo:sli_error:ratio_rate1h{slo="x"} / 0.001 > 14.4 and slo:sli_error:ratio_rate1h{slo="x"} / 0.001 > 14.4)']);
  assert.equal(exprOf(alert.find((m) => m.op === 'for x6')!.rules, 2).for, '12m');
  assert.equal(exprOf(alert.find((m) => m.op === 'severity swapped')!.rules, 2).labels!['severity'], 'warning');
});

test('a recording loses one matcher at a time and gets each range x4; the other rules stay as they were', () => {
  const ms = mutants(RULES).filter((m) => m.id.includes('#0 '));
  const dropped = ms.filter((m) => m.op === 'matcher dropped').map((m) => exprOf(m.rules, 0).expr);
  assert.deepEqual(dropped, [
    '(sum(rate(req_total{code=~"5.."}[5m])) or vector(0)) / sum(rate(req_total{job="a"}[5m]))',
    '(sum(rate(req_total{job="a"}[5m])) or vector(0)) / sum(rate(req_total{job="a"}[5m]))',
    '(sum(rate(req_total{job="a",code=~"5.."}[5m])) or vector(0)) / sum(rate(req_total[5m]))',
  ]);
  assert.deepEqual(
    ms
      .filter((m) => m.op === 'range x4')
      .map((m) =>
        exprOf(m.rules, 0)
          .expr.match(/\[\w+\]/g)!
          .join(' '),
      ),
    ['[20m] [5m]', '[5m] [20m]'],
  );
  for (const m of ms) assert.equal(exprOf(m.rules, 1).expr, exprOf(RULES, 1).expr, m.id);
  assert.equal(new Set(mutants(RULES).map((m) => m.id)).size, mutants(RULES).length, 'ids are unique');
});

test("equivalent mutants carry their reason: a recorded matcher one division side still keeps, an SLO's `or vector(0)` on bad events", () => {
  const rules = `groups:
  - name: g
    rules:
      - record: slo:sli_error:ratio_rate5m
        expr: slo:sli_errors:rate5m{service="s",slo="x"} / slo:sli_total:rate5m{service="s",slo="x"}
      - record: slo:sli_error:ratio_rate30m
        expr: (sum(rate(req_total{code="500"}[30m])) or vector(0)) / sum(rate(req_total[30m]))
      - record: slo:sli_error:ratio_rate1h
        expr: 1 - (sum(rate(req_bucket{le="0.3"}[1h])) or vector(0)) / sum(rate(req_count[1h]))
      - record: threshold:value:measured
        expr: (sum(rate(hits_total[5m])) or vector(0)) / sum(rate(req_total[5m]))
      - record: slo:sli_errors:rate5m
        expr: (sum(rate(req_total{code="500"}[5m])) or vector(0))
      - alert: Reads
        expr: slo:sli_errors:rate5m > 1 or slo:sli_error:ratio_rate5m > 1 or slo:sli_error:ratio_rate30m > 1 or slo:sli_error:ratio_rate1h > 1 or threshold:value:measured > 1
`;
  const ms = mutants(rules);
  const eq = (fragment: string) => ms.find((m) => m.id.includes(fragment))?.equivalent;
  assert.match(eq('#0 slo:sli_error:ratio_rate5m: matcher dropped: slo="x" dropped from slo:sli_errors')!, /one-to-one vector matching/);
  assert.equal(
    ms.filter((m) => m.id.includes('#0 ') && m.op === 'matcher dropped').length,
    2,
    'service= on a recorded series is not mutated',
  );
  assert.match(eq('#1 slo:sli_error:ratio_rate30m: or right side removed')!, /empty instead of 0/);
  assert.equal(eq('#1 slo:sli_error:ratio_rate30m: or left side removed'), undefined);
  assert.equal(
    eq('#2 slo:sli_error:ratio_rate1h: or right side removed'),
    undefined,
    'good events: 0 and empty differ (every request slow)',
  );
  assert.equal(eq('#3 threshold:value:measured: or right side removed'), undefined, 'a threshold may alert below a level');
  assert.match(eq('#4 slo:sli_errors:rate5m: or right side removed')!, /empty instead of 0/, 'the recorded bad events themselves');
});

test('a recording no alert reads, directly or through another recording, gives only equivalent mutants', () => {
  const rules = `groups:
  - name: g
    rules:
      - record: slo:sli_errors:rate5m
        expr: sum(rate(req_total{code="500"}[5m]))
        labels: { slo: x }
      - record: slo:sli_errors:rate5m
        expr: sum(rate(req_total{code="503"}[5m]))
        labels: { slo: y }
      - record: slo:sli_error:ratio_rate1h
        expr: sum_over_time(slo:sli_errors:rate5m{slo="x"}[1h])
        labels: { slo: x }
      - record: slo:sli_error:ratio_rate30d
        expr: sum_over_time(slo:sli_errors:rate5m{slo="x"}[30d])
        labels: { slo: x }
      - alert: Burn
        expr: slo:sli_error:ratio_rate1h{slo="x"} > 1
`;
  const ms = mutants(rules);
  const unread = (i: number) => ms.filter((m) => m.id.startsWith(`g#${i} `)).map((m) => m.equivalent ?? 'counted');
  assert.ok(unread(0).length > 0 && unread(0).every((e) => e === 'counted'), 'read through the 1h recording');
  assert.ok(unread(1).length > 0 && unread(1).every((e) => /no alert reads/.test(e)), 'the slo="y" series: no reader');
  assert.ok(
    unread(2).every((e) => e === 'counted'),
    'read by the alert',
  );
  assert.ok(unread(3).length > 0 && unread(3).every((e) => /no alert reads/.test(e)), 'the 30d window: dashboards only');
});

test("a native histogram SLO's mutants are listed apart (no generated test can feed it); an edit that changes nothing is no mutant", () => {
  const rules = `groups:
  - name: native
    rules:
      - record: slo:sli_errors:rate5m
        expr: sum(x) * (1 - histogram_fraction(0, 2, sum(rate(h{job="a"}[5m]))))
      - alert: Burn
        expr: slo:sli_errors:rate5m > 1
  - name: plain
    rules:
      - record: z
        expr: a / (b > 0)
      - alert: Z
        expr: z > 1
`;
  const ms = mutants(rules);
  assert.ok(ms.filter((m) => m.id.startsWith('native#')).every((m) => /native histogram/.test(m.untested ?? '')));
  assert.ok(ms.filter((m) => m.id.startsWith('plain#')).every((m) => m.untested === undefined));
  assert.ok(!ms.some((m) => m.id.startsWith('plain#0') && m.op === 'constant x10'), '0 x10 is still 0');
});
