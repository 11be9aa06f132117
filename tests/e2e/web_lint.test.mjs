// Lint of the browser apps (issue 11 #1, stored XSS): user text may reach the DOM only as text
// nodes (el(), textContent) or, where a library takes an HTML string (ECharts tooltip
// formatters), through common.js's esc(). This fails on every HTML sink in web/ — innerHTML,
// outerHTML, insertAdjacentHTML, document.write, createContextualFragment, DOMParser, srcdoc —
// and on every formatter whose template interpolates something not wrapped in esc(). The rules
// are checked against bad samples first, so the lint itself cannot silently pass everything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = new URL('../../web/', import.meta.url).pathname;

const SINKS = [
  [/\.(innerHTML|outerHTML)\s*(\+?=)(?!=)/, 'assignment to innerHTML/outerHTML'],
  [/\binsertAdjacentHTML\s*\(/, 'insertAdjacentHTML'],
  [/\bdocument\.write(ln)?\s*\(/, 'document.write'],
  [/\bcreateContextualFragment\s*\(/, 'createContextualFragment'],
  [/\bnew\s+DOMParser\b/, 'DOMParser'],
  [/\bsrcdoc\b/, 'srcdoc'],
  [/\bsetHTMLUnsafe\b|\bparseHTMLUnsafe\b/, 'setHTMLUnsafe'],
];

// The text of the expression that starts at i: up to the first , or closing bracket at depth 0,
// skipping strings and template literals (with their ${} parts).
function expressionAt(src, i) {
  let depth = 0;
  const start = i;
  while (i < src.length) {
    const c = src[i];
    if (c === '\'' || c === '"') {
      const q = c;
      for (i++; i < src.length && src[i] !== q; i++) if (src[i] === '\\') i++;
    } else if (c === '`') {
      for (i++; i < src.length && src[i] !== '`'; i++) {
        if (src[i] === '\\') i++;
        else if (src[i] === '$' && src[i + 1] === '{') {
          const inner = expressionAt(src, i + 2);
          i += 2 + inner.length;
        }
      }
    } else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) {
      if (depth === 0) break;
      depth--;
    } else if ((c === ',' || c === ';') && depth === 0) break;
    i++;
  }
  return src.slice(start, i);
}

// The ${…} parts of every template literal in text.
function interpolations(text) {
  const out = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '`') {
      for (i++; i < text.length && text[i] !== '`'; i++) {
        if (text[i] === '\\') i++;
        else if (text[i] === '$' && text[i + 1] === '{') {
          const inner = expressionAt(text, i + 2);
          out.push(inner.trim());
          i += 2 + inner.length;
        }
      }
    }
  }
  return out;
}

const escaped = (x) => /^esc\(/.test(x) && expressionAt(x, 4).length === x.length - 5;

// Problems of one formatter value.
function formatterProblems(value) {
  const v = value.trim();
  if (/^(['"]).*\1$/s.test(v)) {
    // ECharts string templates insert series/data names ({a}, {b}) as they are.
    return /\{[ab]\d*\}/.test(v) ? ['string template with {a}/{b} (names unescaped)'] : [];
  }
  const arrow = v.match(/^(?:async\s*)?(?:\([^)]*\)|[\w$]+)\s*=>\s*/s);
  const fn = v.match(/^function\b[^{]*\{/s);
  if (!arrow && !fn) return ['formatter that is not an inline function (cannot be checked)'];
  const body = v.slice((arrow || fn)[0].length - (fn ? 1 : 0));
  const returns = body.startsWith('{')
    ? [...body.matchAll(/\breturn\b\s*/g)].map((m) => expressionAt(body, m.index + m[0].length).replace(/;\s*$/, ''))
    : [body];
  const problems = [];
  for (const r0 of returns) {
    const r = r0.trim();
    if (r.startsWith('`')) {
      for (const x of interpolations(r)) if (!escaped(x)) problems.push(`\${${x}} not wrapped in esc()`);
    } else if (!escaped(r) && !/^(['"])[^'"]*\1$/.test(r) && !/^\d/.test(r)) {
      problems.push(`returns ${r.slice(0, 60)} without esc()`);
    }
  }
  return problems;
}

export function lint(src) {
  const problems = [];
  const lines = src.split('\n');
  lines.forEach((line, n) => {
    const code = line.replace(/\/\/.*$/, '');
    for (const [re, what] of SINKS) if (re.test(code)) problems.push({ line: n + 1, what });
  });
  for (const m of src.matchAll(/\bformatter\s*:\s*/g)) {
    const value = expressionAt(src, m.index + m[0].length);
    const line = src.slice(0, m.index).split('\n').length;
    for (const what of formatterProblems(value)) problems.push({ line, what: `formatter: ${what}` });
  }
  return problems;
}

function files(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === 'vendor' ? [] : files(p);
    return /\.(m?js|html)$/.test(f) ? [p] : [];
  });
}

test('the lint catches each kind of unescaped HTML sink', () => {
  const bad = [
    'box.innerHTML = e.title;',
    'box.innerHTML += `<b>${x}</b>`;',
    'node.outerHTML = s;',
    "list.insertAdjacentHTML('beforeend', row);",
    'document.write(t);',
    'const d = new DOMParser();',
    "tooltip: { formatter: (p) => `${p.data.title}<br>${esc(p.name)}` },",
    'tooltip: { formatter: (p) => p.name },',
    'tooltip: { formatter: function (p) { return p.data.title; } },',
    "tooltip: { formatter: '{b}: {c}' },",
    'tooltip: { formatter: show },',
  ];
  for (const src of bad) assert.ok(lint(src).length > 0, `not caught: ${src}`);
  const good = [
    "box.textContent = e.title; if (a.innerHTML === '') x();",
    'tooltip: { formatter: (p) => esc(p.name) },',
    "tooltip: { formatter: (p) => `${esc(p.data.title)}<br>${esc(label(M, p.data.state))}` },",
    'tooltip: { formatter: function (p) { if (!p) return \'\'; return esc(p.name); } },',
    "label: { formatter: '{c} 件' },",
  ];
  for (const src of good) assert.deepEqual(lint(src), [], `false alarm: ${src}`);
});

test('no HTML sink in web/ is fed unescaped text', () => {
  const all = files(ROOT);
  assert.ok(all.length > 5, 'web/ files found');
  const found = [];
  for (const f of all) {
    for (const p of lint(readFileSync(f, 'utf8'))) found.push(`web/${relative(ROOT, f)}:${p.line}: ${p.what}`);
  }
  assert.deepEqual(found, []);
});
