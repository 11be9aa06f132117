// The building economy in the command center (楼均论英雄, issue 16): a map layer of the buildings
// coloured by tier or by vacancy, and a panel with the district figures, the zones and the
// ranking, each score explained by its parts, with the CSV export and the printable page. The
// server computes every figure (GET /api/v1/buildings/figures, /ranking); this file draws them.
import { el, esc } from './common.js';

const TIER_COLORS = {
  tier_10e9: '#ff1744', near_10e9: '#ff6d00', tier_10e8: '#ffab00', near_10e8: '#ffe57f',
  tier_10e7: '#69f0ae', near_10e7: '#40c4ff', none: '#90a4ae',
};
const TIER_ORDER = ['tier_10e9', 'near_10e9', 'tier_10e8', 'near_10e8', 'tier_10e7', 'near_10e7', 'none'];
const TIER_NAMES = {
  tier_10e9: '十亿元楼', near_10e9: '准十亿元楼', tier_10e8: '亿元楼', near_10e8: '准亿元楼',
  tier_10e7: '千万元楼', near_10e7: '准千万元楼', none: '未达千万元',
};
const pct = (v) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);
const num = (v, d = 0) => (v === null || v === undefined ? '—'
  : Number(v).toLocaleString('zh-CN', { maximumFractionDigits: d, minimumFractionDigits: d }));
const vacancyColor = (v) => (v < 0.08 ? '#69f0ae' : v < 0.15 ? '#ffe57f' : v < 0.25 ? '#ff9100' : '#ff1744');

// One part of a score in words: "单位面积税收 2,351 元/m² → 78.4 分 × 35% = 27.4".
function partText(p) {
  const v = p.value === null ? '无数据'
    : p.indicator === 'occupancy' || p.indicator === 'tax_yoy' ? pct(p.value)
      : `${num(p.value)} 元/m²`;
  return `${p.name} ${v} → ${num(p.score, 1)} 分 × ${num(p.weight * 100, 0)}% = ${num(p.points, 2)}`;
}

export async function mount(shell) {
  const { api } = shell;
  const state = { year: null, colour: 'tier', items: null, all: false };

  async function items() {
    if (!state.items) state.items = (await api(`/api/v1/buildings${state.year ? `?year=${state.year}` : ''}`)).items;
    return state.items;
  }

  shell.layer('buildings', async () => [{
    type: 'scatter', name: '楼宇经济', symbol: 'rect', symbolSize: 7, z: 3,
    data: (await items()).map((b) => ({
      value: [b.lon, b.lat], code: b.code, name: b.name, tier_name: b.tier_name, tax: b.tax,
      vacancy: b.vacancy, score: b.score, grade: b.grade,
      itemStyle: { color: state.colour === 'tier' ? TIER_COLORS[b.tier] : vacancyColor(b.vacancy) },
    })),
    tooltip: { formatter: (p) => `${esc(p.data.name)}<br>${esc(p.data.tier_name)} · 税收 ${esc(num(p.data.tax / 1e4))} 万元<br>空置率 ${esc(pct(p.data.vacancy))} · 得分 ${esc(p.data.score)}（${esc(p.data.grade)}）` },
  }]);

  function kpi(key, title, value) {
    return el('div.kpi', { dataset: { k: key } }, el('div.k', title), el('div.v', value));
  }

  function rankingRows(list) {
    const rows = [];
    for (const b of list) {
      const parts = el('tr.parts', { hidden: true, dataset: { parts: b.code } },
        el('td', { colspan: 8 }, el('ul', b.parts.map((p) => el('li', partText(p)))),
          `区内第 ${b.rank} · 功能区内第 ${b.zone_rank} · 同类（${b.peer}）第 ${b.peer_rank} · 街道内第 ${b.street_rank}`));
      const tr = el('tr', { tabindex: 0, dataset: { code: b.code }, 'aria-expanded': 'false' },
        el('td', b.rank), el('td', b.street_rank), el('td', b.name), el('td', b.zone_name), el('td', b.tier_name),
        el('td', num(b.score, 2)), el('td', b.grade), el('td', b.advice || ''));
      const toggle = () => {
        parts.hidden = !parts.hidden;
        tr.setAttribute('aria-expanded', String(!parts.hidden));
      };
      tr.addEventListener('click', toggle);
      tr.addEventListener('keydown', (k) => { if (k.key === 'Enter' || k.key === ' ') { k.preventDefault(); toggle(); } });
      rows.push(tr, parts);
    }
    return rows;
  }

  function paint(box, f, r) {
    const yearSel = el('select', { id: 'building-year', 'aria-label': '年度' },
      f.trend.map((t) => el('option', { value: t.year, selected: t.year === f.year }, `${t.year} 年`)));
    yearSel.addEventListener('change', () => load(box, Number(yearSel.value)));
    const colourSel = el('select', { id: 'building-colour', 'aria-label': '地图着色' },
      el('option', { value: 'tier', selected: state.colour === 'tier' }, '地图按税收档次着色'),
      el('option', { value: 'vacancy', selected: state.colour === 'vacancy' }, '地图按空置率着色'));
    colourSel.addEventListener('change', () => { state.colour = colourSel.value; shell.refresh('buildings'); });
    const shown = state.all ? r.items : r.items.slice(0, 15);
    const more = r.items.length > shown.length
      ? el('button.secondary', { type: 'button', id: 'building-all', onclick: () => { state.all = true; paint(box, f, r); } },
        `显示全部 ${r.items.length} 栋`) : '';
    box.dataset.year = String(f.year);
    box.replaceChildren(
      el('div.row', yearSel, colourSel,
        el('a', { href: `/api/v1/buildings/ranking.csv?year=${f.year}`, id: 'building-csv', download: `buildings-${f.year}.csv` }, '导出排名 CSV'),
        el('a', { href: `/center/buildings-print.html?year=${f.year}`, id: 'building-print', target: '_blank' }, '打印版')),
      f.synthetic ? el('p.hint', '演示数据（合成）') : '',
      el('div.building-kpis',
        kpi('at_least_10e8', '亿元级楼宇', `${f.at_least_10e8} 栋`),
        kpi('band_10e7', '千万元级楼宇', `${f.band_10e7} 栋`),
        kpi('near_10e8', '准亿元楼', `${f.near_10e8} 栋`),
        kpi('tax_per_m2', '楼均税收', `${num(f.tax_per_m2)} 元/m²`),
        kpi('gdp_per_m2', '楼均增加值', `${num(f.gdp_per_m2)} 元/m²`),
        kpi('vacancy_rate', '空置率', pct(f.vacancy_rate)),
        kpi('landing_rate', '招商落地率', pct(f.landing_rate))),
      el('p.hint', { id: 'building-trend' }, '空置率 ', f.trend.map((t) => `${t.year} ${pct(t.vacancy_rate)}`).join(' → '),
        '；招商落地率 ', f.trend.map((t) => `${t.year} ${pct(t.landing_rate)}`).join(' → ')),
      el('h3', '功能区'),
      el('div.building-table', el('table', el('thead', el('tr', ['功能区', '楼宇', '亿元级', '千万元级', '楼均税收(元/m²)', '空置率', '招商落地率'].map((h) => el('th', h)))),
        el('tbody', f.zones.map((z) => el('tr', el('td', z.name), el('td', z.buildings), el('td', z.at_least_10e8),
          el('td', z.band_10e7), el('td', num(z.tax_per_m2)), el('td', pct(z.vacancy_rate)), el('td', pct(z.landing_rate))))))),
      el('h3', '楼均论英雄排名 ', el('span.hint', '（点击一行看得分构成）')),
      el('p.hint', TIER_ORDER.map((t) => `${TIER_NAMES[t]} ${f[t]}`).join(' · ')),
      el('div.building-table', el('table#building-ranking', el('thead', el('tr', ['区内排名', '街道排名', '楼宇', '功能区', '档次', '综合得分', '等级', '建议'].map((h) => el('th', h)))),
        el('tbody', rankingRows(shown)))),
      more);
  }

  async function load(box, year) {
    const q = year ? `?year=${year}` : '';
    const [f, r] = await Promise.all([api(`/api/v1/buildings/figures${q}`), api(`/api/v1/buildings/ranking${q}`)]);
    if (state.year !== f.year) {
      state.year = f.year;
      state.items = r.items; // the map follows the panel's year
      shell.refresh('buildings');
    }
    paint(box, f, r);
  }

  // 入驻意向: what enterprises left on the public 找写字楼 page for buildings in this
  // jurisdiction, newest first; each row offers the steps the server allows from its status.
  async function leads(box) {
    const r = await api('/api/v1/buildings/inquiries');
    const open = r.items.filter((q) => q.status === 'new').length;
    const row = (q) => el('tr', { dataset: { inquiry: q.id, status: q.status } },
      el('td', shell.fmtTime(q.created_at * 1000)), el('td', q.building_name),
      el('td', q.enterprise_name, q.uscc ? el('div.hint', q.uscc) : ''),
      el('td', q.industry_name || '—'), el('td', `${num(q.area_m2)} m²`),
      el('td', q.contact, el('div.hint', q.phone)), el('td', q.note || ''),
      el('td', { dataset: { k: 'status' } }, q.status_name),
      el('td', q.next.map((n) => el('button.secondary', {
        type: 'button', dataset: { next: n.status },
        onclick: async (e) => {
          e.target.disabled = true;
          try {
            await api(`/api/v1/buildings/inquiries/${q.id}/status`, { method: 'POST', body: { status: n.status } });
            await leads(box);
          } catch (x) {
            shell.toast(x.message, 'error');
            e.target.disabled = false;
          }
        },
      }, n.name))));
    box.replaceChildren(
      el('p.hint', { id: 'building-leads-count' }, `共 ${r.items.length} 条，待联系 ${open} 条（来自公众页面“找写字楼”）`),
      r.items.length ? el('div.building-table', el('table#building-leads', el('thead', el('tr',
        ['提交时间', '楼宇', '企业', '行业', '需求面积', '联系人', '其他要求', '状态', '跟进'].map((h) => el('th', h)))),
      el('tbody', r.items.map(row)))) : '');
  }

  shell.panel('building_leads', (body) => {
    const box = el('div#building-leads-panel');
    body.append(box);
    return leads(box);
  });

  shell.panel('building_economy', (body) => {
    const box = el('div#building-panel');
    body.append(box);
    return load(box, state.year);
  });
}
