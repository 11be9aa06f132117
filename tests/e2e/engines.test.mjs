// The README's promise on plain Debian 12 (issue 11, scope 7): `make test` and `make run` work
// on Debian's own nodejs, so no package in package-lock.json may declare an engines.node range
// that leaves out the nodejs Debian 12 ships (18.20.4+dfsg-1~deb12u3 in bookworm and
// bookworm-security). The range check is a small reading of npm's semver ranges, itself tested
// here first so the guard cannot pass by misreading.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const DEBIAN_12_NODE = [18, 20, 4];

const cmp = (a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

// A partial version ("18", "18.2", "18.2.x", "*") as numbers; null parts are wildcards.
function partial(text) {
  const t = text.replace(/^v/, '').split('-')[0];
  if (t === '' || t === '*' || t === 'x' || t === 'X') return [null, null, null];
  const p = t.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : null));
  while (p.length < 3) p.push(null);
  return p.slice(0, 3);
}
const fill = (p) => p.map((x) => x ?? 0);
// The smallest version above every version matching p ("18" → 19.0.0, "18.2" → 18.3.0).
function bump(p) {
  if (p[0] === null) return null;
  if (p[1] === null) return [p[0] + 1, 0, 0];
  if (p[2] === null) return [p[0], p[1] + 1, 0];
  return null;
}

// Does version v satisfy one comparator (">=18", "^16.13", "~1.2", "18.x", "<21")?
function comparator(c, v) {
  const m = c.match(/^(>=|<=|>|<|=|\^|~)?\s*(.*)$/);
  const op = m[1] || '';
  const p = partial(m[2]);
  const lo = fill(p);
  const hi = bump(p);
  switch (op) {
    case '>=': return cmp(v, lo) >= 0;
    case '>': return hi ? cmp(v, hi) >= 0 : cmp(v, lo) > 0;
    case '<': return cmp(v, lo) < 0;
    case '<=': return hi ? cmp(v, hi) < 0 : cmp(v, lo) <= 0;
    case '^': {
      const up = lo[0] > 0 || p[1] === null ? [lo[0] + 1, 0, 0] : lo[1] > 0 || p[2] === null ? [0, lo[1] + 1, 0] : [0, 0, lo[2] + 1];
      return cmp(v, lo) >= 0 && cmp(v, up) < 0;
    }
    case '~': {
      const up = p[1] === null ? [lo[0] + 1, 0, 0] : [lo[0], lo[1] + 1, 0];
      return cmp(v, lo) >= 0 && cmp(v, up) < 0;
    }
    default:
      if (p[0] === null) return true;
      return hi ? cmp(v, lo) >= 0 && cmp(v, hi) < 0 : cmp(v, lo) === 0;
  }
}

// Does v satisfy the range ("a || b", space-separated comparators, "a - b" hyphen ranges)?
export function satisfies(range, v) {
  return range.split('||').some((set) => {
    const s = set.trim();
    const hy = s.match(/^(\S+)\s+-\s+(\S+)$/);
    if (hy) return comparator('>=' + hy[1], v) && comparator('<=' + hy[2], v);
    const parts = s.replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1').split(/\s+/).filter(Boolean);
    return parts.length === 0 || parts.every((c) => comparator(c, v));
  });
}

test('the range reading: what admits Debian 12\'s nodejs and what does not', () => {
  for (const r of ['>=18', '>=18.0.0', '>= 14.17', '^18.12.0', '18', '18.x', '~18.20', '*', '',
    '>=16 <19', '^14.17.0 || ^16.10.0 || >=18.0.0', '14 - 18', '>=0.10.0', '>18.19'])
    assert.ok(satisfies(r, DEBIAN_12_NODE), `${r} admits 18.20.4`);
  for (const r of ['>=20', '>=18.21', '^20.9.0 || >=22', '>=19.0.0', '<18', '16.x', '~18.19',
    '>=20.0.0 <21', '^16', '>18.20.4', '18.21 - 22', '>18'])
    assert.ok(!satisfies(r, DEBIAN_12_NODE), `${r} leaves out 18.20.4`);
});

test('every package in package-lock.json runs on Debian 12\'s nodejs (engines.node)', () => {
  const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8'));
  const bad = [];
  let declared = 0;
  for (const [path, pkg] of Object.entries(lock.packages || {})) {
    const range = pkg.engines?.node;
    if (range === undefined) continue;
    declared++;
    if (!satisfies(String(range), DEBIAN_12_NODE)) bad.push(`${path || 'zhizhi'}@${pkg.version}: engines.node ${range}`);
  }
  assert.ok(declared > 0, 'the lockfile records engines (lockfileVersion 2+)');
  assert.deepEqual(bad, [], `needs a newer nodejs than Debian 12 ships (18.20.4):\n${bad.join('\n')}`);
});
