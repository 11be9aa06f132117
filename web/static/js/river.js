// A segment's "幸福河流" checklist, one page per segment, printable for a leader: water class
// against the target, open problems, patrol compliance (per chief and for the segment as a
// whole), gaps and shoreline works. Every verdict is the server's (GET /api/v1/patrol/segments/X).
import { api, currentUser, loginUrl } from './api.js';
import { $, el, fmtTime, toast } from './common.js';

const pct = (x) => `${(100 * x).toFixed(0)}%`;

async function start() {
  const who = await currentUser();
  if (!who) { location.assign(loginUrl()); return; }
  const code = new URLSearchParams(location.search).get('code') || '';
  const r = await api(`/api/v1/patrol/segments/${encodeURIComponent(code)}`);
  $('#title').textContent = `${r.segment.name} · 幸福河流清单`;
  document.title = `${r.segment.name} · 幸福河流清单`;
  $('#meta').textContent = `${r.segment.river_name} · 岸线 ${(r.segment.length_m / 1000).toFixed(1)} 公里 · 统计 ${fmtTime(r.from)} 至 ${fmtTime(r.now)}`;
  $('#checklist').replaceChildren(...r.checklist.map((c) => el('li', { dataset: { item: c.item, ok: String(c.ok) } },
    el('strong', { class: c.ok ? 'good' : 'bad' }, c.ok ? '✔ ' : '✘ '), el('strong', c.label), '：', c.detail)));
  $('#chiefs tbody').replaceChildren(...r.chiefs.map((c) => el('tr', { class: c.mine ? 'mine' : '' },
    el('td', c.level_label), el('td', c.name, el('div.hint', c.title)),
    el('td', `每${c.window_label}至少 ${c.times} 次`),
    el('td', `${c.compliance.met}/${c.compliance.windows}（${pct(c.compliance.rate)}）`))));
  $('#gaps').replaceChildren(...(r.gaps.length ? r.gaps.map((g) => el('li', { class: g.open ? 'alert-red' : '' },
    `${fmtTime(g.start)} 至 ${g.open ? '今' : fmtTime(g.end)}，${g.days.toFixed(1)} 天`)) : [el('li', '无')]));
  $('#works').replaceChildren(...(r.segment.works.length ? r.segment.works.map((w) => el('li', w)) : [el('li', '无')]));
  $('#synthetic').textContent = r.segment.synthetic ? '本页岸段、河长与巡河记录为示例数据（synthetic）。' : '';
  $('#print').addEventListener('click', () => window.print());
  document.body.dataset.ready = 'true';
}

start().catch((e) => toast(e.message || String(e), 'error'));
