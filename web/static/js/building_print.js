// The printable 楼均论英雄 report (web/center/buildings-print.html): the district and zone figures
// and the whole ranking of one year, as the server computes them, laid out for paper.
import { api, currentUser, loginUrl } from './api.js';
import { $, el } from './common.js';

const pct = (v) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);
const num = (v, d = 0) => (v === null || v === undefined ? '—'
  : Number(v).toLocaleString('zh-CN', { maximumFractionDigits: d, minimumFractionDigits: d }));
const td = (v, n) => el(n ? 'td.n' : 'td', v);

async function start() {
  if (!(await currentUser())) { location.assign(loginUrl()); return; }
  const year = new URLSearchParams(location.search).get('year');
  const q = year ? `?year=${encodeURIComponent(year)}` : '';
  const [f, r] = await Promise.all([api(`/api/v1/buildings/figures${q}`), api(`/api/v1/buildings/ranking${q}`)]);
  $('#title').textContent = `渝中区楼宇经济“楼均论英雄”评价（${f.year} 年）`;
  $('#subtitle').textContent = `打印于 ${new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'long', timeStyle: 'short' }).format(new Date())}`
    + `；共 ${f.buildings} 栋楼宇${f.synthetic ? '；演示数据（合成）' : ''}`;
  const fig = (k, v) => el('div', `${k}：${v}`);
  $('#figures').replaceChildren(
    fig('亿元级楼宇', `${f.at_least_10e8} 栋`), fig('千万元级楼宇', `${f.band_10e7} 栋`),
    fig('准亿元楼', `${f.near_10e8} 栋`), fig('税收合计', `${num(f.tax / 1e8, 2)} 亿元`),
    fig('楼均税收', `${num(f.tax_per_m2)} 元/m²`), fig('楼均增加值', `${num(f.gdp_per_m2)} 元/m²`),
    fig('空置率', pct(f.vacancy_rate)), fig('招商落地率', pct(f.landing_rate)));
  $('#zones tbody').replaceChildren(...f.zones.map((z) => el('tr', td(z.name), td(z.buildings, 1), td(z.at_least_10e8, 1),
    td(z.band_10e7, 1), td(num(z.tax_per_m2), 1), td(num(z.gdp_per_m2), 1), td(pct(z.vacancy_rate), 1), td(pct(z.landing_rate), 1))));
  $('#ranking tbody').replaceChildren(...r.items.map((b) => el('tr', td(b.rank, 1), td(b.name), td(b.zone_name), td(b.tier_name),
    td(num(b.tax / 1e4, 1), 1), td(num(b.tax_per_m2), 1), td(num(b.gdp_per_m2), 1), td(pct(b.occupancy), 1),
    td(pct(b.tax_yoy), 1), td(num(b.score, 2), 1), td(b.grade), td(b.advice || ''))));
  const e = r.evaluation;
  $('#method').textContent = '综合得分 = ' + e.indicators.map((i) => `${i.name}×${num(i.weight * 100)}%（${num(i.floor, 2)} 得 0 分，${num(i.target, 2)} 得满分）`).join(' + ')
    + '；等级：' + e.grades.map((g) => `${g.grade} ≥ ${g.min_score}`).join('，')
    + `；“准”档：达到上一档门槛的 ${num(e.near_ratio * 100)}%。`;
  $('#print').addEventListener('click', () => window.print());
  document.body.dataset.ready = 'true';
}

start().catch((e) => { document.body.append(el('p', e.message || String(e))); });
