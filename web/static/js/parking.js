// Shared parking in the command center (issue 20): the lots on the map (green with free shared
// spaces in the next hour, grey without) beside open complaints of illegal parking (机动车乱停放)
// — a complaint within 500 m of a lot with free spaces is drawn orange and says so — and the
// figures panel: share rate, turnover, occupancy by hour, the lots, unmet demand, CSV downloads.
// The server computes everything; this file only draws it.
import { esc, el, ev } from './common.js';

const NEAR_M = 500;

function metres(a, b) {
  const r = 6371000, rad = Math.PI / 180;
  const dlat = (b[1] - a[1]) * rad, dlon = (b[0] - a[0]) * rad;
  const h = Math.sin(dlat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dlon / 2) ** 2;
  return 2 * r * Math.asin(Math.sqrt(h));
}

const pct = (x) => `${(100 * (x || 0)).toFixed(1)}%`;

async function drawLayer(ctx) {
  const lots = (await ctx.api('/api/v1/parking/lots')).items || [];
  let complaints = [];
  if (!ctx.who.permissions || ctx.who.permissions.includes('event.read')) {
    try {
      const r = await ctx.api('/api/v1/events?category=1503&status=open&limit=500');
      complaints = (r.items || []).filter((e) => ev.pos(e));
    } catch { /* the layer works without the complaints */ }
  }
  const free = lots.filter((l) => l.free_next_hour > 0);
  const lotData = lots.map((l) => ({
    value: [l.lon, l.lat], name: l.name, code: l.code, free: l.free_next_hour, kind: l.kind_label,
    itemStyle: { color: l.free_next_hour > 0 ? '#39c27a' : '#7d8b99' },
  }));
  const complaintData = complaints.map((e) => {
    const p = ev.pos(e);
    const near = free.find((l) => metres(p, [l.lon, l.lat]) <= NEAR_M);
    return { value: p, title: e.title, near: near ? near.name : '', nearFree: near ? near.free_next_hour : 0,
      itemStyle: { color: near ? '#ff9800' : '#d9363e' } };
  });
  // the layer with its switch in the module shell (web/static/js/shell.js)
  const series = [
    { id: 'parking-lots', name: '共享停车', type: 'scatter', coordinateSystem: 'geo', symbol: 'roundRect', symbolSize: 11,
      data: lotData, z: 5,
      tooltip: { formatter: (p) => `${esc(p.data.name)}（${esc(p.data.kind)}）<br>未来一小时空闲共享车位：${esc(p.data.free)}` } },
    { id: 'parking-complaints', name: '违停投诉', type: 'scatter', coordinateSystem: 'geo', symbol: 'triangle', symbolSize: 10,
      data: complaintData.filter((c) => !c.near), z: 6,
      tooltip: { formatter: (p) => `违停投诉：${esc(p.data.title)}` } },
    { id: 'parking-complaints-near', name: '违停投诉（附近有空位）', type: 'scatter', coordinateSystem: 'geo', symbol: 'triangle',
      symbolSize: 12, data: complaintData.filter((c) => c.near), z: 7,
      tooltip: { formatter: (p) => `违停投诉：${esc(p.data.title)}<br>附近 ${esc(NEAR_M)} 米内有空闲共享车位：${esc(p.data.near)}（${esc(p.data.nearFree)} 个）` } },
  ];
  ctx.layer('parking', () => series);
  document.body.dataset.parkingLayer = String(lots.length);
  return { list: lots, lots: lots.length, free: free.length, complaints: complaints.length,
    nearFree: complaintData.filter((c) => c.near).length };
}

// Publishing a share plan for a lot (the center on the owner's behalf): the server checks the
// windows, the capacity and the jurisdiction and says what is wrong.
function planForm(ctx, lots) {
  const lot = el('select#parking-plan-lot', { 'aria-label': '停车场' }, lots.map((l) => el('option', { value: l.code }, `${l.name}（共 ${l.capacity} 个车位）`)));
  const spaces = el('input#parking-plan-spaces', { type: 'number', min: 1, value: 10, 'aria-label': '共享车位数' });
  const windows = el('input#parking-plan-windows', { value: 'workday 19:00-08:00, restday 00:00-24:00', 'aria-label': '共享时段' });
  const price = el('input#parking-plan-price', { type: 'number', min: 0, step: '0.5', value: 5, 'aria-label': '每小时价格（元）' });
  const out = el('p#parking-plan-result', { role: 'status' });
  const ok = el('button', { type: 'submit' }, '发布共享时段');
  const form = el('form.filters#parking-plan-form', { novalidate: true },
    lot, el('label', '车位', spaces), el('label', '时段', windows), el('label', '元/小时', price), ok);
  form.addEventListener('submit', async (x) => {
    x.preventDefault();
    ok.disabled = true;
    out.className = '';
    try {
      const r = await ctx.api(`/api/v1/parking/lots/${encodeURIComponent(lot.value)}/plans`, { method: 'POST',
        body: { spaces: Number(spaces.value), windows: windows.value, price_fen: Math.round(Number(price.value) * 100) } });
      out.textContent = `已发布：${r.spaces} 个车位，${r.windows}`;
    } catch (e) {
      out.className = 'error-text';
      out.textContent = e.message;
    } finally {
      ok.disabled = false;
    }
  });
  // the owner's own key: the owner then publishes, edits and withdraws on /report/parking-owner.html
  const keyOut = el('p#parking-owner-key', { role: 'status' });
  const keyBtn = el('button#parking-owner-key-go', { type: 'button' }, '给业主发放密钥');
  keyBtn.addEventListener('click', async () => {
    keyOut.className = '';
    keyBtn.disabled = true;
    try {
      const r = await ctx.api(`/api/v1/parking/lots/${encodeURIComponent(lot.value)}/owner-keys`, { method: 'POST', body: {} });
      const link = `${location.origin}/report/parking-owner.html#key=${r.key}`;
      keyOut.replaceChildren('业主密钥（只显示这一次，请交给业主妥善保管）：', el('code', r.key), ' 业主页面：',
        el('a', { href: link, target: '_blank', rel: 'noopener' }, '打开'));
    } catch (e) {
      keyOut.className = 'error-text';
      keyOut.textContent = e.message;
    } finally {
      keyBtn.disabled = false;
    }
  });
  return [el('h2', '发布共享时段（代业主发布；时段写法：workday/restday/daily HH:MM-HH:MM，结束早于开始表示跨越午夜）'), form, out,
    el('p.actions', keyBtn, el('span.hint', '业主凭密钥在“共享车位 · 业主发布”页面自行发布、修改、撤回共享时段')), keyOut];
}

async function drawPanel(ctx, body, layer) {
  const f = await ctx.api('/api/v1/parking/figures');
  const hours = el('div.parking-hours', { role: 'img', 'aria-label': '各时段共享车位占用率' });
  const max = Math.max(0.01, ...f.occupancy_by_hour);
  f.occupancy_by_hour.forEach((v, h) => hours.append(el('span', {
    title: `${h} 时：${pct(v)}`, style: `height:${Math.round(4 + 56 * v / max)}px`,
  })));
  const lots = el('table.events', el('thead', el('tr', ['停车场', '共享车位', '共享利用率', '预约', '离场', '未到场', '超时']
    .map((t) => el('th', t)))), el('tbody', f.lots.map((l) => el('tr',
    el('td', l.name), el('td', l.shared_spaces), el('td', pct(l.share_rate)), el('td', l.bookings),
    el('td', l.completed), el('td', l.no_shows), el('td', l.overstays)))));
  const demand = el('ol.parking-demand', f.unmet_demand.map((d) => el('li', `${d.name}：${d.searches} 次查无空位`)));
  body.replaceChildren(
    el('div.kpis.parking-kpis',
      el('div.kpi', el('div.k', '共享利用率'), el('div.v#parking-share-rate', pct(f.share_rate))),
      el('div.kpi', el('div.k', '周转率（次/车位/日）'), el('div.v', (f.turnover || 0).toFixed(2))),
      el('div.kpi', el('div.k', '有空闲车位的停车场'), el('div.v', `${layer.free}/${layer.lots}`)),
      el('div.kpi', el('div.k', '违停投诉（附近有空位）'), el('div.v', `${layer.complaints}（${layer.nearFree}）`))),
    el('p.hint', `统计区间 ${f.from.slice(0, 10)} 至 ${f.to.slice(0, 10)}；利用率 = 已使用的共享车位时长 ÷ 提供的共享车位时长`),
    el('h2', '各时段占用率（0–23 时）'), hours,
    el('h2', '需求未满足的网格（查无空位次数）'), demand,
    el('h2', '停车场'), lots,
    el('p.actions',
      el('a', { href: '/api/v1/parking/figures.csv', download: 'parking-figures.csv' }, '下载统计 CSV'),
      el('a', { href: '/api/v1/parking/bookings.csv', download: 'parking-bookings.csv' }, '下载预约明细 CSV'),
      el('a', { href: '/report/parking.html' }, '驾驶人找车位页面'),
      el('a', { href: '/center/parking-print.html', id: 'parking-print', target: '_blank' }, '打印版')),
  );
  if (Array.isArray(ctx.who.permissions) && ctx.who.permissions.includes('parking.manage'))
    body.append(...planForm(ctx, layer.list));
}

export async function mount(ctx) {
  let layer = { list: [], lots: 0, free: 0, complaints: 0, nearFree: 0 };
  if ((ctx.module.layers || []).some((v) => v.id === 'parking')) layer = await drawLayer(ctx);
  for (const p of ctx.module.panels || []) {
    if (p.id !== 'parking_figures') continue;
    const body = ctx.addPanel(p.id, p.title);
    body.append(el('p.hint', '加载中…'));
    await drawPanel(ctx, body, layer);
  }
}
