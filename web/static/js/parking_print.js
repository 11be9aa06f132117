// The printable shared-parking report (web/center/parking-print.html): the figures of a span as
// the server computes them (share rate, turnover, occupancy by hour, every lot in the caller's
// jurisdiction, unmet demand) and the recent overstays, laid out for paper. ?from=&to= (dates)
// choose the span; without them, the server's default (the last 30 days and today).
import { api, currentUser, loginUrl } from './api.js';
import { $, el } from './common.js';

const KINDS = { public: '公共', office: '机关单位', residential: '住宅小区', hospital: '医院', school: '学校', commercial: '商业' };
const pct = (v) => `${(v * 100).toFixed(1)}%`;
const num = (v, d = 0) => Number(v).toLocaleString('zh-CN', { maximumFractionDigits: d, minimumFractionDigits: d });
const td = (v, n) => el(n ? 'td.n' : 'td', v);
const day = (iso) => iso.slice(0, 10);

async function start() {
  if (!(await currentUser())) { location.assign(loginUrl()); return; }
  const sp = new URLSearchParams(location.search);
  const q = new URLSearchParams();
  for (const k of ['from', 'to']) if (sp.get(k)) q.set(k, sp.get(k));
  const [f, a] = await Promise.all([api(`/api/v1/parking/figures?${q}`), api('/api/v1/parking/alerts?limit=30')]);
  // the span is [from, to): its last day is the Beijing date of the second before `to`
  const lastDay = new Date(new Date(f.to).getTime() - 1000 + 8 * 3600e3).toISOString();
  $('#title').textContent = `共享停车运行情况（${day(f.from)} 至 ${day(lastDay)}）`;
  const spaces = f.lots.reduce((n, l) => n + l.shared_spaces, 0);
  const bookings = f.lots.reduce((n, l) => n + l.bookings, 0);
  const sum = (k) => f.lots.reduce((n, l) => n + l[k], 0);
  $('#subtitle').textContent = `打印于 ${new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'long', timeStyle: 'short' }).format(new Date())}`
    + `；辖区内 ${f.lots.length} 个停车场`;
  const fig = (k, v, id) => el('div', id ? { id } : null, `${k}：${v}`);
  $('#figures').replaceChildren(
    fig('共享利用率', pct(f.share_rate), 'pp-share-rate'), fig('周转率', `${num(f.turnover, 2)} 次/车位/日`),
    fig('共享车位', `${spaces} 个`), fig('预约', `${bookings} 次`),
    fig('完成', `${sum('completed')} 次`), fig('未到场', `${sum('no_shows')} 次`),
    fig('超时', `${sum('overstays')} 次`), fig('需求未满足的网格', `${f.unmet_demand.length} 个`));
  const hours = f.occupancy_by_hour;
  $('#hours tbody').replaceChildren(
    el('tr', hours.map((_, h) => el('th', `${h}时`))),
    el('tr', hours.map((v) => el('td', `${Math.round(v * 100)}%`))));
  $('#lots tbody').replaceChildren(...f.lots.map((l) => el('tr', td(l.name), td(KINDS[l.kind] || l.kind), td(l.grid),
    td(l.shared_spaces, 1), td(num(l.offered_space_minutes / 60), 1), td(num(l.used_space_minutes / 60), 1),
    td(pct(l.share_rate), 1), td(l.bookings, 1), td(l.completed, 1), td(l.no_shows, 1), td(l.overstays, 1))));
  $('#demand tbody').replaceChildren(...(f.unmet_demand.length
    ? f.unmet_demand.map((d, i) => el('tr', td(i + 1, 1), td(d.name || d.grid), td(d.searches, 1)))
    : [el('tr', el('td', { colspan: 3 }, '无'))]));
  $('#alerts tbody').replaceChildren(...(a.items.length
    ? a.items.map((x) => el('tr', td(x.at.slice(0, 16).replace('T', ' ')), td(x.lot_name), td(x.plate), td(x.minutes, 1), td(x.event || '')))
    : [el('tr', el('td', { colspan: 5 }, '无'))]));
  $('#print').addEventListener('click', () => window.print());
  document.body.dataset.ready = 'true';
}

start().catch((e) => { document.body.append(el('p', e.message || String(e))); });
