// `zhizhi calendar`: working days over the Chinese holiday calendar, as an operator checking a
// deadline would use it (make-up workdays, Spring Festival, missing years, bad input).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './lib.mjs';

test('5 working days after Friday 2026-02-13 is Friday 2026-02-27', () => {
  const r = run(['calendar', 'add-workdays', '2026-02-13', '5']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), '2026-02-27');
});

test('make-up Saturday is a workday, festival Monday and plain Sunday are not', () => {
  const ask = (d) => run(['calendar', 'is-workday', d]);
  for (const [d, want] of [['2026-02-14', 'yes'], ['2026-02-16', 'no'], ['2026-11-29', 'no'],
    ['2026-11-30', 'yes'], ['2025-10-11', 'yes'], ['2025-10-08', 'no']]) {
    const r = ask(d);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), want, d);
  }
});

test('a year beyond the provisional horizon is an error, never a weekday guess', () => {
  const r = run(['calendar', 'is-workday', '2037-03-02']);
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /calendar_year_missing/);
  assert.match(r.stderr, /2037/);
  const r2 = run(['calendar', 'add-workdays', '2036-12-30', '3']);
  assert.equal(r2.status, 2);
  assert.match(r2.stderr, /calendar_year_missing/);
});

test('a year without its notice is computed provisionally and says so', () => {
  // 2027-01-01 (元旦) and 2027-02-05 (除夕) are statutory holidays; no 调休 is guessed.
  for (const [d, want] of [['2027-01-01', 'no'], ['2027-02-05', 'no'], ['2027-02-09', 'yes'],
    ['2027-06-09', 'no'], ['2027-09-15', 'no']]) {
    const r = run(['calendar', 'is-workday', d]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), want, d);
    assert.match(r.stderr, /暂定/);
  }
  const r2 = run(['calendar', 'add-workdays', '2026-12-30', '3']);
  assert.equal(r2.status, 0, r2.stderr);
  assert.equal(r2.stdout.trim(), '2027-01-05');
  const r3 = run(['calendar', 'is-workday', '2026-12-30']);
  assert.equal(r3.stderr, '');
});

test('bad input exits 2 with one clear line', () => {
  for (const args of [['add-workdays', '2026-02-30', '1'], ['add-workdays', '2026-02-13', '-1'],
    ['add-workdays', '2026-02-13', 'five'], ['is-workday'], ['frobnicate', '2026-01-01'], []]) {
    const r = run(['calendar', ...args]);
    assert.equal(r.status, 2, args.join(' '));
    assert.equal(r.stdout, '');
    assert.ok(r.stderr.trim().length > 0);
  }
});

test('a year added in the data directory is used without rebuilding', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zhizhi-cal-'));
  try {
    writeFileSync(join(dir, 'cn-holidays.csv'),
      'date,kind,name\n2027-01-01,holiday,元旦\n2027-02-06,holiday,春节\n2027-02-07,workday,调休上班\n');
    const r = run(['calendar', 'is-workday', '2027-02-07', '--data-dir', dir]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'yes');
    const r2 = run(['calendar', 'add-workdays', '2026-12-31', '1', '--data-dir', dir]);
    assert.equal(r2.stdout.trim(), '2027-01-04');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
