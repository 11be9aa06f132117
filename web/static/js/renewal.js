// Urban renewal in the command center (issue 18): the projects on the map (colour by whether the
// server's balance holds), and the 城市更新 panel — figures by phase, 留改拆增 areas, the project
// table with each project's balance (cash flow by year, cumulative balance, the sensitivity
// tornado and the assumption that breaks first), the owners' votes with their result and a
// printable notice, the 保障性租赁住房 checks and the CSV downloads. Every figure and verdict is
// the server's; this file only draws them.
import { esc, el } from './common.js';

const yuan = (fen) => (fen / 100).toLocaleString('zh-CN', { maximumFractionDigits: 0 });
const wan = (fen) => `${(fen / 1e6).toLocaleString('zh-CN', { maximumFractionDigits: 1 })} 万元`;
const pct = (x, d = 1) => (x === null || x === undefined ? '—' : `${(100 * x).toFixed(d)}%`);
const m2 = (x) => `${Math.round(x).toLocaleString('zh-CN')} ㎡`;

async function balances(ctx, projects) {
  const out = {};
  await Promise.all(projects.map(async (p) => {
    try { out[p.code] = await ctx.api(`/api/v1/renewal/projects/${encodeURIComponent(p.code)}/balance`); } catch { /* shown as — */ }
  }));
  return out;
}

function drawLayer(ctx, projects, bal) {
  const data = projects.map((p) => {
    const b = bal[p.code];
    const ok = b && b.balanced && b.affordable;
    return { value: [p.lon, p.lat], name: p.name, phase: p.phase_label, type: p.type_label,
      verdict: !b ? '—' : `${b.balanced ? '远期可平衡' : '远期不平衡'}，${b.affordable ? '当期可承受' : '当期超上限'}`,
      itemStyle: { color: !b ? '#7d8b99' : ok ? '#39c27a' : b.balanced ? '#ff9800' : '#d9363e' } };
  });
  ctx.layer('renewal', () => [{ id: 'renewal-projects', name: '城市更新项目', type: 'scatter', coordinateSystem: 'geo',
    symbol: 'diamond', symbolSize: 13, data, z: 5,
    tooltip: { formatter: (p) => `${esc(p.data.name)}<br>${esc(p.data.type)} · ${esc(p.data.phase)}<br>${esc(p.data.verdict)}` } }]);
}

// bars for one series of fen values, negative below the axis
function bars(values, label) {
  const max = Math.max(1, ...values.map((v) => Math.abs(v)));
  return el('div.renewal-bars', { role: 'img', 'aria-label': label },
    values.map((v, i) => el('span', {
      title: `第 ${i} 年：${yuan(v)} 元`,
      style: `height:${Math.max(1, Math.round(40 * Math.abs(v) / max))}px;background:${v < 0 ? '#d9363e' : '#39c27a'};`
        + `align-self:${v < 0 ? 'flex-start' : 'flex-end'};display:inline-block;width:${Math.max(3, Math.floor(300 / values.length))}px;margin-right:1px`,
    })));
}

function tornado(b) {
  const span = Math.max(1, ...b.sensitivity.flatMap((s) => s.npv_fen.map((v) => Math.abs(v - b.npv_fen))));
  return el('table.events.renewal-tornado', el('thead', el('tr', ['假设', '−20%', '−10%', '+10%', '+20%', '盈亏平衡变动'].map((t) => el('th', t)))),
    el('tbody', b.sensitivity.map((s) => el('tr', { dataset: { factor: s.factor } }, el('td', s.label),
      s.npv_fen.map((v) => el('td', { style: `background:rgba(${v < 0 ? '217,54,62' : '57,194,122'},${(0.15 + 0.6 * Math.abs(v - b.npv_fen) / span).toFixed(2)})` }, wan(v))),
      el('td', s.breakeven_pct === null ? '—' : `${s.breakeven_pct > 0 ? '+' : ''}${s.breakeven_pct.toFixed(1)}%`)))));
}

function balanceView(p, b) {
  const first = b.sensitivity.find((s) => s.factor === b.breaks_first);
  return el('div.renewal-balance#renewal-balance', { dataset: { code: p.code } },
    el('h2', `${p.name} · 资金平衡测算`),
    el('div.kpis',
      el('div.kpi', el('div.k', '净现值（NPV）'), el('div.v#renewal-npv', wan(b.npv_fen))),
      el('div.kpi', el('div.k', '内部收益率（IRR）'), el('div.v', b.irr === null ? `无（${b.irr_reason === 'no_sign_change' ? '现金流无正负变化' : '无解'}）` : pct(b.irr, 2))),
      el('div.kpi', el('div.k', '回收年份'), el('div.v', b.payback_year === null ? '测算期内未回收' : `第 ${b.payback_year} 年`)),
      el('div.kpi', el('div.k', '最大资金缺口'), el('div.v', wan(b.peak_need_fen)))),
    el('p', { class: b.balanced ? 'good' : 'bad' }, b.balanced ? '远期成本可平衡：NPV ≥ 0 且测算期内累计现金流转正' : '远期成本不能平衡'),
    el('p', { class: b.affordable ? 'good' : 'bad' }, b.affordable
      ? `当期投入可承受：每年区级投入不超过上限 ${wan(b.ceiling_fen)}`
      : `当期投入超上限：第 ${b.first_over_ceiling} 年起超过 ${wan(b.ceiling_fen)}（最高 ${wan(b.max_outlay_fen)}）`),
    el('p.hint', `折现率 ${pct(Number(b.discount_rate), 2)}；NPV 第 0 年不折现（= 第 0 年现金流 + NPV(折现率; 第 1…n 年)）`
      + (first ? `；最先打破平衡的假设：${first.label}（变动 ${first.breakeven_pct.toFixed(1)}% 时 NPV 为零）` : '')),
    el('h2', '逐年净现金流'), bars(b.years.map((y) => y.net_fen), '逐年净现金流'),
    el('h2', '累计现金流'), bars(b.years.map((y) => y.cumulative_fen), '累计现金流'),
    el('h2', '敏感性（NPV）'), tornado(b),
    el('h2', '逐年现金流（元）'),
    el('table.events', el('thead', el('tr', ['年', '建设投入', '补助', '经营收入', '运营成本', '净现金流', '还本付息', '区级投入', '累计', '偿债覆盖率'].map((t) => el('th', t)))),
      el('tbody', b.years.map((y) => el('tr', el('td', String(y.year)), el('td', yuan(y.capex_fen)), el('td', yuan(y.subsidy_fen)),
        el('td', yuan(y.rent_fen + y.parking_fen + y.commercial_fen + y.property_fen)), el('td', yuan(y.opex_fen)),
        el('td', yuan(y.net_fen)), el('td', yuan(y.debt_fen)), el('td', yuan(y.outlay_fen)), el('td', yuan(y.cumulative_fen)),
        el('td', y.dscr === null ? '—' : y.dscr.toFixed(2)))))),
    el('p.actions', el('a', { href: `/api/v1/renewal/projects/${encodeURIComponent(p.code)}/balance.csv`, download: `renewal-${p.code}-balance.csv` }, '下载测算 CSV')));
}

async function projectDetail(ctx, p, b, slot) {
  const d = await ctx.api(`/api/v1/renewal/projects/${encodeURIComponent(p.code)}`);
  const parts = [balanceView(d, b),
    el('h2', '楼栋与地块（留改拆增）'),
    el('table.events', el('thead', el('tr', ['名称', '路径', '改造前', '改造后', '涉及住户', '涉及企业'].map((t) => el('th', t)))),
      el('tbody', d.parcel_list.map((c) => el('tr', el('td', c.name), el('td', c.path_label), el('td', m2(c.area_before_m2)),
        el('td', m2(c.area_after_m2)), el('td', String(c.households)), el('td', String(c.enterprises)))))),
    el('p.hint', `阶段：${d.phase_history.map((h) => `${h.label} ${h.at.slice(0, 10)}`).join(' → ')}`)];
  if (d.next_phase && Array.isArray(ctx.who.permissions) && ctx.who.permissions.includes('renewal.manage')) {
    const out = el('span#renewal-phase-result', { role: 'status' });
    const btn = el('button#renewal-advance', { type: 'button' }, '进入下一阶段');
    btn.addEventListener('click', async () => {
      btn.disabled = true;
      try {
        const r = await ctx.api(`/api/v1/renewal/projects/${encodeURIComponent(p.code)}/phase`, { method: 'POST', body: { phase: d.next_phase } });
        out.textContent = `已进入「${r.phase_label}」阶段`;
      } catch (e) { out.className = 'error-text'; out.textContent = e.message; } finally { btn.disabled = false; }
    });
    parts.push(el('p', btn, ' ', out));
  }
  slot.replaceChildren(...parts);
}

async function drawPanel(ctx, body, projects, bal) {
  const [f, votes, housing] = await Promise.all([ctx.api('/api/v1/renewal/figures'), ctx.api('/api/v1/renewal/votes'),
    ctx.api('/api/v1/renewal/housing')]);
  const slot = el('div#renewal-detail');
  const rows = projects.map((p) => {
    const b = bal[p.code];
    const open = el('button', { type: 'button', dataset: { code: p.code } }, '测算');
    open.addEventListener('click', () => projectDetail(ctx, p, b, slot).catch((e) => ctx.toast(e.message, 'error')));
    return el('tr', { dataset: { code: p.code } }, el('td', p.name), el('td', p.type_label), el('td', p.phase_label), el('td', p.model_label),
      el('td', String(p.households)), el('td', b ? wan(b.npv_fen) : '—'),
      el('td', { class: b && b.balanced ? 'good' : 'bad' }, b ? (b.balanced ? '可平衡' : '不平衡') : '—'),
      el('td', { class: b && b.affordable ? 'good' : 'bad' }, b ? (b.affordable ? '可承受' : '超上限') : '—'), el('td', open));
  });
  const voteRows = votes.items.map((v) => el('tr', { dataset: { vote: String(v.id) } }, el('td', v.title), el('td', v.project_name),
    el('td', v.matter_label), el('td', `${pct(v.tally.participating_area_ratio)} / ${pct(v.tally.participating_owners_ratio)}`),
    el('td', `${pct(v.tally.approving_area_ratio)} / ${pct(v.tally.approving_owners_ratio)}`),
    el('td', { class: v.tally.passed ? 'good' : 'bad' }, v.tally.result_label),
    el('td', el('a', { href: `/center/renewal-vote-print.html?id=${v.id}` }, '结果公告'))));
  const h = housing.report;
  body.replaceChildren(
    el('div.kpis',
      el('div.kpi', el('div.k', '更新项目'), el('div.v#renewal-projects', String(f.projects))),
      el('div.kpi', el('div.k', '受益户数'), el('div.v', String(f.households))),
      ...f.by_path.map((x) => el('div.kpi', el('div.k', `${x.label}（面积）`), el('div.v', m2(x.area_m2))))),
    el('p.hint', `按阶段：${f.by_phase.map((x) => `${x.label} ${x.projects}`).join('，')}；按模式：${f.by_model.map((x) => `${x.label} ${x.projects}`).join('，')}`),
    el('h2', '项目'),
    el('table.events#renewal-table', el('thead', el('tr', ['项目', '类型', '阶段', '模式', '受益户', 'NPV', '远期', '当期', ''].map((t) => el('th', t)))), el('tbody', rows)),
    slot,
    el('h2', '业主表决（民法典第二百七十八条）'),
    el('table.events#renewal-votes', el('thead', el('tr', ['事项', '项目', '类别', '参与（面积/人数）', '同意（面积/人数）', '结果', ''].map((t) => el('th', t)))), el('tbody', voteRows)),
    el('h2', '保障性租赁住房'),
    el('p#renewal-housing', `${h.units} 套，其中 70 ㎡ 及以下 ${h.small_units} 套（${h.small_majority ? '小户型为主' : '未以小户型为主'}）；`
      + `租金不高于同地段市场租金 ${pct(Number(h.rent_share), 0)} 的 ${h.rent_ok} 套；已入住 ${h.occupied} 套`),
    el('p.actions',
      el('a', { href: '/api/v1/renewal/projects.csv', download: 'renewal-projects.csv' }, '下载项目 CSV')),
    el('p.hint', '演示数据（synthetic）：项目地名真实，数字均为示例。'));
}

export async function mount(ctx) {
  const projects = (await ctx.api('/api/v1/renewal/projects')).items || [];
  const bal = await balances(ctx, projects);
  if ((ctx.module.layers || []).some((v) => v.id === 'renewal')) drawLayer(ctx, projects, bal);
  for (const p of ctx.module.panels || []) {
    if (p.id !== 'renewal_figures') continue;
    const body = ctx.addPanel(p.id, p.title);
    body.append(el('p.hint', '加载中…'));
    await drawPanel(ctx, body, projects, bal);
  }
  document.body.dataset.renewal = String(projects.length);
}
