// The printable 15分钟生活圈 report (web/center/lifecircle-print.html?profile=walk|elderly): each
// street's walking coverage for every required (category, level) of GB 50180-2018, the
// district total, and the largest community gaps, as the server computes them, laid out for
// paper to hand to a leader.
import { api, currentUser, loginUrl } from './api.js';
import { $, el } from './common.js';

const pct = (x) => `${(100 * x).toFixed(1)}%`;
const num = (v) => Math.round(v).toLocaleString('zh-CN');
const GAPS = 20;

async function start() {
  if (!(await currentUser())) { location.assign(loginUrl()); return; }
  const profile = new URLSearchParams(location.search).get('profile') || 'walk';
  const q = `profile=${encodeURIComponent(profile)}`;
  const [req, net, cov, gaps] = await Promise.all([
    api('/api/v1/lifecircle/requirements'), api('/api/v1/lifecircle/network'),
    api(`/api/v1/lifecircle/coverage?group=street&${q}`), api(`/api/v1/lifecircle/gaps?${q}`)]);
  const titles = Object.fromEntries(req.categories.map((c) => [c.id, c.title]));
  const pr = req.profiles.find((p) => p.id === profile) || req.profiles[0];
  const model = `平路 ${pr.v0} m/s，坡道按 Tobler 步行函数，台阶上行 ${pr.steps_up} 倍、下行 ${pr.steps_down} 倍平路速度`
    + `${pr.step_rest_s ? `，每段台阶歇 ${pr.step_rest_s} 秒` : ''}，电梯每次 ${pr.elevator_s} 秒（含等候）`;
  $('#title').textContent = '渝中区15分钟生活圈服务覆盖情况';
  $('#subtitle').textContent = `打印于 ${new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'long', timeStyle: 'short' }).format(new Date())}`
    + `；步行方式：${pr.title}；路网：${net.source}（${net.attribution}）${net.synthetic ? '；演示数据（合成）' : ''}`;
  const t = cov.total;
  const fig = (k, v) => el('div', `${k}：${v}`);
  const worst = t.cells.reduce((a, c) => (c.share < a.share ? c : a), t.cells[0]);
  $('#figures').replaceChildren(
    fig('常住人口', `${num(t.population)} 人`), fig('居住点', `${cov.demand_points} 处`),
    fig('配套设施', `${cov.facilities} 处`), fig('社区缺口', `${gaps.items.length} 项`),
    ...(worst ? [fig('覆盖最低', `${titles[worst.category]}·${worst.item}（${worst.level} 分钟）${pct(worst.share)}`)] : []));
  // one column per required (category, level), in the server's order
  $('#streets thead').replaceChildren(el('tr', el('th', '街道'), el('th', '常住人口'),
    ...t.cells.map((c) => el('th', `${titles[c.category]}·${c.item}（${c.level} 分钟）`))));
  const row = (a, total) => el(total ? 'tr.total' : 'tr', el('td', total ? '全区合计' : a.name), el('td.n', num(a.population)),
    ...a.cells.map((c) => el(c.share < 0.5 ? 'td.n.low' : 'td.n', pct(c.share))));
  $('#streets tbody').replaceChildren(...cov.areas.map((a) => row(a, false)), row(t, true));
  const top = gaps.items.slice(0, GAPS);
  $('#gaps-title').textContent = gaps.items.length > GAPS ? `缺口最大的社区（前 ${GAPS} 项，共 ${gaps.items.length} 项）` : '缺口最大的社区';
  $('#gaps tbody').replaceChildren(...top.map((g, i) => el('tr', el('td.n', String(i + 1)), el('td', g.name),
    el('td', titles[g.category]), el('td', g.item), el('td', `${g.level} 分钟`), el('td.n', num(g.population)),
    el('td.n', num(g.uncovered)), el('td.n', pct(g.share)))));
  $('#method').textContent = '依据：' + [...new Set(req.requirements.map((r) => r.source))].join('；')
    + `。步行时间按路网计算（${pr.title}）：${model}；${req.nesting}。`;
  $('#print').addEventListener('click', () => window.print());
  document.body.dataset.ready = 'true';
}

start().catch((e) => { document.body.append(el('p', e.message || String(e))); });
