// The patrol module's part of the command center (河长制): the river segments on the grid map
// coloured by their patrol state (达标 / 滞后 / 超期未巡) and a panel with each segment's weekly
// compliance, open problems, its checklist page and the CSV; for those who may keep the list
// (may_manage, from the server) the editor of segments and chiefs (patrol_editor.js). Loaded by the module shell
// (shell.js) through GET /api/v1/modules; every figure and state comes from the server.
import { el, esc, fmtTime } from './common.js';
import { editSegment, newSegment } from './patrol_editor.js';

const COLORS = { ok: '#2e9d5b', behind: '#f0a020', gap: '#d9363e' };
const STATE = { ok: '巡河达标', behind: '巡河滞后', gap: '超期未巡' };

const pct = (x) => `${(100 * x).toFixed(0)}%`;

async function layer(ctx) {
  const fc = await ctx.api('/api/v1/patrol/segments.geojson');
  ctx.addSeries({
    id: 'patrol', name: '河长巡河', type: 'lines', coordinateSystem: 'geo', polyline: true, zlevel: 2,
    lineStyle: { width: 5, opacity: 0.9 },
    data: fc.features.map((f) => ({
      coords: f.geometry.coordinates, name: f.properties.name, p: f.properties,
      lineStyle: { color: COLORS[f.properties.state] || '#7fb2e5' },
    })),
    tooltip: {
      formatter: (x) => `${esc(x.data.p.name)}（${esc(x.data.p.river)}）<br>${esc(STATE[x.data.p.state] || '')}`
        + `，每周达标 ${esc(pct(x.data.p.rate))}，未办结问题 ${esc(x.data.p.open_problems)}`
        + (x.data.p.synthetic ? '<br>（示例数据）' : ''),
    },
  });
}

async function panel(ctx, title) {
  const body = ctx.addPanel('patrol_compliance', title);
  const editor = el('div#patrol-editor');
  const draw = async () => {
    const r = await ctx.api('/api/v1/patrol/segments');
    const edit = async (code, x) => {
      const rep = await ctx.api(`/api/v1/patrol/segments/${encodeURIComponent(code)}`);
      editSegment(ctx.api, editor, rep, () => draw());
      if (x) editor.scrollIntoView({ block: 'nearest' });
    };
    const rows = r.items.map((s) => el('tr', { dataset: { code: s.code } },
      el('td', el('a', { href: `/grid/river.html?code=${encodeURIComponent(s.code)}` }, s.name)),
      el('td', `${s.compliance.met}/${s.compliance.windows} 周（${pct(s.compliance.rate)}）`),
      el('td', { class: s.compliance.current_met ? 'ok-text' : 'alert-yellow' }, s.compliance.current_met ? '本周已巡' : '本周未巡'),
      el('td', { class: s.gap_open ? 'alert-red' : '' }, s.gap_open ? '超期未巡' : (s.compliance.last ? fmtTime(s.compliance.last) : '—')),
      el('td', String(s.open_problems)),
      r.may_manage ? el('td', el('button.patrol-edit.secondary', { type: 'button', onclick: (x) => edit(s.code, x) }, '维护')) : null,
    ));
    const anySynthetic = r.items.some((s) => s.synthetic);
    body.replaceChildren(el('table.patrol-table',
      el('thead', el('tr', el('th', '岸段'), el('th', '每周巡河达标'), el('th', '本周'), el('th', '最近巡河'), el('th', '未办结问题'), r.may_manage ? el('th', '') : null)),
      el('tbody', rows)),
    el('p.hint', el('a', { href: '/api/v1/patrol/compliance.csv', download: 'patrol-compliance.csv' }, '导出 CSV'),
      anySynthetic ? ' · 示例岸段与巡河记录为示例数据（synthetic）。' : '',
      r.may_manage ? ' · ' : '',
      r.may_manage ? el('button#patrol-new.secondary', { type: 'button', onclick: () => newSegment(ctx.api, editor, (rep) => { draw(); editSegment(ctx.api, editor, rep, () => draw()); }) }, '新增岸段') : null),
    editor);
  };
  await draw();
}

export async function mount(ctx) {
  const layers = ctx.module.layers.map((v) => v.id);
  if (layers.includes('patrol')) await layer(ctx);
  const p = ctx.module.panels.find((v) => v.id === 'patrol_compliance');
  if (p) await panel(ctx, p.title);
}
