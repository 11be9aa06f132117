// The command center (指挥中心): the district's grids on an ECharts map coloured by open and
// overdue events, KPI cards, charts by class, board and channel, a 30-day trend, the live feed
// over Server-Sent Events, the searchable event list and an event's detail with its actions.
import { api, apiAll, currentUser, loginUrl, logout } from './api.js';
import {
  $, el, esc, fmtTime, dayKey, dueText, toast, busy, label, ev,
  STATE_LABELS, URGENCY_LABELS, CHANNEL_LABELS, ACTION_LABELS, ALERT_LABELS,
} from './common.js';
import { timeline, photos, actionButtons, beforeAfter, takeAction } from './detail.js';
import { uploadPhoto } from './api.js';
import { loadModules } from './shell.js';

const echarts = window.echarts;
const OPEN = (e) => !['closed', 'revisited', 'voided', 'merged'].includes(e.state);
const isOverdue = (e) => e.alert === 'red' || e.overdue === true;
const charts = {};
let who = null;
let recent = [];          // events of the last 30 days (for KPIs, charts, map)
let boards = {};          // code → name
const TEXT = '#c9d6e6';

// Each chart follows its box's size. A hidden box (the closed detail dialog) measures 0×0, and
// ECharts drawing a map at 0×0 throws: such a chart waits until it is shown again.
const sizeWatch = {};
function chart(id) {
  if (!charts[id]) {
    const dom = document.getElementById(id);
    const c = echarts.init(dom, null, { renderer: 'canvas' });
    charts[id] = c;
    sizeWatch[id] = new ResizeObserver(() => { if (dom.clientWidth && dom.clientHeight) c.resize(); });
    sizeWatch[id].observe(dom);
  }
  return charts[id];
}
function dropChart(id) {
  sizeWatch[id]?.disconnect();
  charts[id]?.dispose();
  delete sizeWatch[id];
  delete charts[id];
}

// ---- map -------------------------------------------------------------------------------------

let gridNames = {};
async function loadMap() {
  const fc = await api('/api/v1/regions.geojson?level=grid');
  for (const f of fc.features) gridNames[f.id || f.properties.code] = f.properties.name;
  for (const f of fc.features) f.properties.code = f.properties.code || f.id;
  echarts.registerMap('yuzhong-grids', fc);
  chart('map').setOption({
    backgroundColor: 'transparent',
    tooltip: { trigger: 'item' },
    geo: {
      map: 'yuzhong-grids', nameProperty: 'code', roam: true, aspectScale: 0.88,
      itemStyle: { areaColor: '#12304f', borderColor: '#2c5a8a', borderWidth: 0.5 },
      emphasis: { itemStyle: { areaColor: '#2a6ab0' }, label: { show: false } },
      tooltip: { formatter: (p) => esc(gridNames[p.name] || p.name) },
    },
    visualMap: {
      type: 'piecewise', show: true, dimension: 0, seriesIndex: 0, left: 8, bottom: 8,
      textStyle: { color: TEXT },
      pieces: [{ value: 0, label: '无在办', color: '#12304f' }, { value: 1, label: '有在办', color: '#2f7fd1' },
        { value: 2, label: '有超期', color: '#d9363e' }],
    },
    series: [
      { id: 'grids', type: 'map', geoIndex: 0, data: [] },
      { id: 'events', type: 'scatter', coordinateSystem: 'geo', symbolSize: 7, data: [],
        itemStyle: { color: '#ffd54f', borderColor: '#000', borderWidth: 0.5 },
        tooltip: { formatter: (p) => `${esc(p.data.title)}<br>${esc(label(STATE_LABELS, p.data.state))}` } },
    ],
  });
  chart('map').on('click', (p) => { if (p.seriesId === 'events' && p.data) openDetail(p.data.code); });
  // A street's duty officer sees their street first (the rest stays a drag away).
  if (who.region && who.region.length > 6) {
    try {
      const r = await api(`/api/v1/regions/${encodeURIComponent(who.region)}`);
      const [w, s, e, n] = r.bbox;
      chart('map').setOption({ geo: { boundingCoords: [[w, n], [e, s]], layoutSize: '90%' } });
    } catch { /* the whole district then */ }
  }
}

function paintMap() {
  const byGrid = {};
  const markers = [];
  for (const e of recent) {
    if (!OPEN(e)) continue;
    const lvl = isOverdue(e) ? 2 : 1;
    if (e.grid) byGrid[e.grid] = Math.max(byGrid[e.grid] || 0, lvl);
    const p = ev.pos(e);
    if (p) markers.push({ value: p, code: ev.code(e), title: e.title, state: e.state,
      itemStyle: isOverdue(e) ? { color: '#ff5252' } : undefined });
  }
  chart('map').setOption({ series: [
    { data: Object.keys(gridNames).map((name) => ({ name, value: byGrid[name] || 0 })) },
    { data: markers },
  ] });
}

// ---- KPIs and charts -------------------------------------------------------------------------

function pct(n, d) { return d ? `${(100 * n / d).toFixed(1)}%` : '—'; }

// The rates come from the indicators API once it has answered (or refused); until then from the
// event list.
let ratesSettled = false;

function paintKpis() {
  const today = dayKey(Date.now());
  $('#kpi-today').textContent = recent.filter((e) => dayKey(ev.created(e)) === today).length;
  const closed = recent.filter((e) => ['closed', 'revisited'].includes(e.state));
  const counted = recent.filter((e) => !['voided', 'merged'].includes(e.state));
  const onTime = closed.filter((e) => !(e.overdue_count > 0 || e.was_overdue || e.escalations > 0 || e.alert === 'red'));
  if (!ratesSettled) {
    $('#kpi-close-rate').textContent = pct(closed.length, counted.length);
    $('#kpi-ontime-rate').textContent = pct(onTime.length, closed.length);
  }
  $('#kpi-overdue').textContent = recent.filter((e) => OPEN(e) && isOverdue(e)).length;
}

const may = (action) => !who || !Array.isArray(who.permissions) || who.permissions.includes(action);

// A KPI this role may not see (no permission, or the API answers 403) says so; any other failure
// leaves "—" with the reason as its tooltip. Neither stops the rest of the screen.
function kpiUnavailable(id, err) {
  const v = $(id);
  const denied = !err || err.status === 403;
  v.textContent = denied ? '无权限' : '—';
  v.classList.toggle('denied', denied);
  v.title = denied ? '您的角色无权查看此指标' : `暂时无法获取：${err.message}`;
}

async function paintIndicators() {
  // The indicators module is the authority for the rates (percentages over the same 30 days).
  if (!may('indicator.read')) {
    ratesSettled = true;
    kpiUnavailable('#kpi-close-rate');
    kpiUnavailable('#kpi-ontime-rate');
  } else {
    try {
      const r = await api(`/api/v1/indicators?from=${dayKey(Date.now() - 29 * 86400000)}`);
      const t = (r && r.total) || {};
      if (typeof t.closure_rate === 'number') $('#kpi-close-rate').textContent = `${t.closure_rate.toFixed(1)}%`;
      if (typeof t.ontime_rate === 'number') $('#kpi-ontime-rate').textContent = `${t.ontime_rate.toFixed(1)}%`;
      ratesSettled = true;
    } catch (e) {
      // 403: the figures from the event list would be the very ones this role may not see.
      if (e.status === 403) {
        ratesSettled = true;
        kpiUnavailable('#kpi-close-rate', e);
        kpiUnavailable('#kpi-ontime-rate', e);
      }
    }
  }
  if (!may('monitor.read')) { kpiUnavailable('#kpi-aqi'); return; }
  try {
    const r = await api('/api/v1/monitor/aqi/hourly');
    const d = r && r.district;
    if (d && d.aqi !== null && d.aqi !== undefined) {
      $('#kpi-aqi').textContent = d.aqi;
      if (d.color) $('#kpi-aqi').style.color = d.color;
      $('#kpi-aqi').title = [d.level, d.category, d.hour_end].filter(Boolean).join(' · ');
      $('#kpi-aqi-note').textContent = d.category || '';
    }
  } catch (e) {
    kpiUnavailable('#kpi-aqi', e);
  }
}

function countBy(items, key) {
  const m = new Map();
  for (const e of items) { const k = key(e) || '未知'; m.set(k, (m.get(k) || 0) + 1); }
  return [...m.entries()].sort((a, b) => b[1] - a[1]);
}

function bar(id, pairs, color) {
  pairs = pairs.slice(0, 8).reverse();
  chart(id).setOption({
    grid: { left: 96, right: 24, top: 6, bottom: 18 },
    xAxis: { type: 'value', axisLabel: { color: TEXT }, splitLine: { lineStyle: { color: '#1d3a60' } } },
    yAxis: { type: 'category', data: pairs.map((p) => p[0]), axisLabel: { color: TEXT, width: 90, overflow: 'truncate' } },
    series: [{ type: 'bar', data: pairs.map((p) => p[1]), itemStyle: { color }, barMaxWidth: 14 }],
    tooltip: {},
  }, true);
}

function paintCharts() {
  bar('chart-class', countBy(recent, (e) => ev.category(e)), '#4fc3f7');
  bar('chart-board', countBy(recent, (e) => boards[e.board] || e.board_name || e.board), '#81c784');
  chart('chart-channel').setOption({
    tooltip: { trigger: 'item' },
    series: [{ type: 'pie', radius: ['35%', '70%'], label: { color: TEXT },
      data: countBy(recent, (e) => label(CHANNEL_LABELS, e.channel)).map(([name, value]) => ({ name, value })) }],
  }, true);
  const days = [];
  for (let i = 29; i >= 0; i--) days.push(dayKey(Date.now() - i * 86400000));
  const made = Object.fromEntries(days.map((d) => [d, 0]));
  const done = Object.fromEntries(days.map((d) => [d, 0]));
  for (const e of recent) {
    const d = dayKey(ev.created(e));
    if (d in made) made[d]++;
    const c = dayKey(e.closed_at);
    if (c in done) done[c]++;
  }
  chart('chart-trend').setOption({
    grid: { left: 36, right: 12, top: 24, bottom: 24 },
    legend: { textStyle: { color: TEXT }, top: 0 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: days.map((d) => d.slice(5)), axisLabel: { color: TEXT } },
    yAxis: { type: 'value', axisLabel: { color: TEXT }, splitLine: { lineStyle: { color: '#1d3a60' } } },
    series: [{ name: '上报', type: 'line', smooth: true, data: days.map((d) => made[d]) },
      { name: '结案', type: 'line', smooth: true, data: days.map((d) => done[d]) }],
  }, true);
}

async function loadRecent() {
  recent = await apiAll(`/api/v1/events?from=${dayKey(Date.now() - 29 * 86400000)}&limit=1000`, 5000);
  paintKpis();
  paintMap();
  paintCharts();
}

// ---- event list ------------------------------------------------------------------------------

function listQuery() {
  const q = new URLSearchParams({ limit: '200' });
  const s = $('#f-status').value, c = $('#f-channel').value, b = $('#f-board').value, t = $('#f-q').value.trim();
  if (s) q.set('status', s);
  if (c) q.set('channel', c);
  if (b) q.set('board', b);
  if ($('#f-overdue').checked) q.set('overdue', 'true');
  if (t) q.set('q', t);
  return q.toString();
}

async function loadList() {
  const body = $('#events-body');
  let items;
  try {
    const r = await api('/api/v1/events?' + listQuery());
    items = Array.isArray(r) ? r : r.items || [];
  } catch (e) {
    body.replaceChildren(el('tr', el('td', { colspan: 8 }, e.message)));
    return;
  }
  if (!items.length) {
    body.replaceChildren(el('tr', el('td', { colspan: 8 }, '没有符合条件的事件')));
    return;
  }
  body.replaceChildren(...items.map((e) => {
    const tr = el('tr', { tabindex: 0, dataset: { code: ev.code(e) }, 'aria-label': `${e.title}，${label(STATE_LABELS, e.state)}` },
      el('td', ev.code(e)), el('td', e.title), el('td', ev.category(e)),
      el('td', label(CHANNEL_LABELS, e.channel)), el('td', label(STATE_LABELS, e.state)),
      el('td', label(URGENCY_LABELS, e.urgency)),
      el('td', { class: isOverdue(e) ? 'alert-red' : e.alert === 'yellow' ? 'alert-yellow' : '' }, OPEN(e) ? dueText(ev.due(e)) : ''),
      el('td', fmtTime(ev.created(e))));
    const open = () => openDetail(ev.code(e));
    tr.addEventListener('click', open);
    tr.addEventListener('keydown', (k) => { if (k.key === 'Enter' || k.key === ' ') { k.preventDefault(); open(); } });
    return tr;
  }));
}

// ---- detail ----------------------------------------------------------------------------------


async function openDetail(code) {
  const dlg = $('#detail');
  const body = $('#detail-body');
  let e, hist;
  try {
    [e, hist] = await Promise.all([
      api(`/api/v1/events/${encodeURIComponent(code)}`),
      api(`/api/v1/events/${encodeURIComponent(code)}/history`).catch(() => []),
    ]);
  } catch (err) { toast(err.message, 'error'); return; }
  e = e.event || e;
  $('#detail-title').textContent = `${e.title}`;
  const { box: actBox, count } = actionButtons(e, {
    id: 'detail-actions',
    upload: async (files) => { const out = []; for (const f of files) out.push(await uploadPhoto(f)); return out; },
    submit: async (a, payload, key) => {
      await takeAction(ev.code(e), a.name, payload, key);
      toast(`已${a.label}`, 'ok');
      await openDetail(ev.code(e));
      loadList();
      loadRecent();
    },
  });
  if (!count) actBox.append(el('span.hint', '当前状态下您无可执行的操作'));
  const histItems = Array.isArray(hist) ? hist : (hist && hist.items) || [];
  const pos = ev.pos(e);
  body.replaceChildren(el('div.detail-grid',
    el('div',
      el('p', el('span.pill', label(STATE_LABELS, e.state)), ' ',
        el('span.pill', label(URGENCY_LABELS, e.urgency)), ' ',
        e.alert && e.alert !== 'none' ? el('span.pill.' + e.alert, label(ALERT_LABELS, e.alert)) : ''),
      el('dl',
        el('dt', '编号'), el('dd', ev.code(e)),
        el('dt', '类别'), el('dd', ev.category(e)),
        el('dt', '来源'), el('dd', label(CHANNEL_LABELS, e.channel)),
        el('dt', '网格'), el('dd', gridNames[e.grid] || e.grid_name || e.grid || '—'),
        el('dt', '地址'), el('dd', e.address || '—'),
        el('dt', '上报人'), el('dd', (e.reporter && e.reporter.name) || e.reporter_name || '匿名',
          e.reporter && e.reporter.contact ? ` ${e.reporter.contact}` : ''),
        el('dt', '承办部门'), el('dd', e.department_name || e.department || '—'),
        el('dt', '承办岗位'), el('dd', e.post_name || e.post || '—'),
        el('dt', '本阶段期限'), el('dd', fmtTime(ev.due(e)), ' ', OPEN(e) ? dueText(ev.due(e)) : '')),
      el('h3', '描述'), el('p', e.description || '—'),
      el('h3', '照片'), ['feedback', 'checking', 'closed', 'revisited'].includes(e.state) ? beforeAfter(e, histItems) : photos([e, ...histItems]),
      el('h3', '可执行操作'), actBox),
    el('div',
      el('h3', '位置'), el('div#detail-map', { role: 'img', 'aria-label': pos ? `经度 ${pos[0]}，纬度 ${pos[1]}` : '无位置' }),
      el('p.hint', pos ? `WGS84 ${pos[0].toFixed(6)}, ${pos[1].toFixed(6)}` : '无位置'),
      el('h3', '办理过程'), timeline(histItems))));
  if (!dlg.open) dlg.showModal();
  dropChart('detail-map');
  if (pos && echarts.getMap('yuzhong-grids')) {
    chart('detail-map').setOption({
      geo: { map: 'yuzhong-grids', nameProperty: 'code', center: pos, zoom: 12, roam: true,
        itemStyle: { areaColor: '#12304f', borderColor: '#4f86c6' },
        regions: e.grid ? [{ name: e.grid, itemStyle: { areaColor: '#2f7fd1' } }] : [] },
      series: [{ type: 'effectScatter', coordinateSystem: 'geo', data: [pos], symbolSize: 12, itemStyle: { color: '#ff5252' } }],
    });
  }
}

// ---- live feed -------------------------------------------------------------------------------

// News from the stream reloads the figures, but not before the first load has drawn the map and
// charts (a message can arrive while it runs): then it waits and refreshes once at its end.
let refreshTimer = null;
let firstLoadDone = false;
let refreshPending = false;
function scheduleRefresh() {
  if (!firstLoadDone) { refreshPending = true; return; }
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => { loadRecent().then(paintIndicators, () => {}); loadList(); }, 400);
}

function feedLine(type, d) {
  const code = d.code || d.event_code || (d.event && d.event.code);
  const title = d.title || (d.event && d.event.title) || '';
  const what = d.action ? label(ACTION_LABELS, d.action) : type.includes('creat') ? '新上报' : '更新';
  const state = d.state || d.to_state || (d.event && d.event.state);
  const li = el('li.new', { dataset: { code: code || '' } },
    el('span.hint', fmtTime(d.at || Date.now()), ' '), el('strong', what), ' ', title,
    state ? ` · ${label(STATE_LABELS, state)}` : '');
  if (code) { li.tabIndex = 0; li.addEventListener('click', () => openDetail(code)); li.addEventListener('keydown', (k) => { if (k.key === 'Enter') openDetail(code); }); }
  const feed = $('#feed');
  feed.prepend(li);
  while (feed.children.length > 50) feed.lastChild.remove();
}

// The live stream. EventSource reconnects by itself after a dropped connection (the server asks
// for retry: 3000); while it does, the header says the connection is broken. A browser gives up
// for good on an answer that is not a stream (a proxy's 502, a restarting server's 503): then we
// open a new one, waiting longer each time. Once back, the screen catches up on what it missed.
let stream = null;
let streamRetry = 0;
let streamBroken = false;

function setLive(state) {
  const live = $('#live');
  const [text, cls] = {
    open: ['实时', 'pill green'], connecting: ['连接中…', 'pill'], broken: ['连接中断，正在重连', 'pill red'],
  }[state];
  live.textContent = text;
  live.className = cls;
  live.dataset.state = state;
}

function connectStream() {
  const es = new EventSource('/api/v1/stream');
  stream = es;
  es.onopen = () => {
    setLive('open');
    streamRetry = 0;
    if (streamBroken) { streamBroken = false; scheduleRefresh(); }
  };
  es.onerror = async () => {
    if (stream !== es) return;
    streamBroken = true;
    setLive('broken');
    // A lost session must go back to login instead of retrying for ever.
    const u = await currentUser().catch(() => who);
    if (!u) { es.close(); location.assign(loginUrl('expired')); return; }
    if (es.readyState === EventSource.CLOSED) {
      stream = null;
      streamRetry = Math.min(streamRetry + 1, 5);
      setTimeout(connectStream, 2000 * streamRetry);
    }
  };
  const onMsg = (m) => {
    let d = {};
    try { d = JSON.parse(m.data); } catch { /* keep-alive or plain text */ }
    if (!m.type.startsWith('event') && m.type !== 'message') return;
    feedLine(m.type, d);
    scheduleRefresh();
  };
  for (const t of ['message', 'event', 'event.created', 'event.updated', 'event.changed', 'event.transition', 'event.action', 'event.create'])
    es.addEventListener(t, onMsg);
}

// ---- start -----------------------------------------------------------------------------------

function tick() {
  $('#clock').textContent = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'medium', timeStyle: 'medium' }).format(new Date());
}

// From 1 November until next year's holiday notice is imported, deadlines into that year are
// provisional; the server says so and words it (GET /api/v1/version, docs/calendar.md).
async function calendarBanner() {
  const v = await api('/api/v1/version');
  const b = $('#calendar-banner');
  b.textContent = v.calendar?.notice || '';
  b.hidden = !v.calendar?.provisional;
}

async function start() {
  who = await currentUser();
  if (!who) { location.assign(loginUrl()); return; }
  $('#who').textContent = who.display_name || who.username;
  $('#logout').addEventListener('click', logout);
  tick(); setInterval(tick, 1000);
  for (const [k, v] of Object.entries(CHANNEL_LABELS)) $('#f-channel').append(el('option', { value: k }, v));
  try {
    const b = await api('/api/v1/boards');
    for (const x of b.items || b) { boards[x.code] = x.name; $('#f-board').append(el('option', { value: x.code }, x.name)); }
  } catch { /* boards optional */ }
  $('#filters').addEventListener('submit', (x) => { x.preventDefault(); loadList(); });
  for (const id of ['#f-status', '#f-channel', '#f-board', '#f-overdue']) $(id).addEventListener('change', loadList);
  $('#detail-close').addEventListener('click', () => $('#detail').close());
  calendarBanner().catch(() => { /* the banner is advice; the loop works without it */ });
  // A role without event.read (a supervisor, say) works in the modules' panels only: no event
  // stream, list or event KPIs are asked for.
  const events = may('event.read');
  if (events) {
    setLive('connecting');
    connectStream();
  } else $('#live').hidden = true;
  await loadMap();
  if (events) {
    await Promise.all([loadRecent().catch((e) => {
      if (e.status !== 403) toast(e.message, 'error');
      for (const id of ['#kpi-today', '#kpi-close-rate', '#kpi-ontime-rate', '#kpi-overdue']) kpiUnavailable(id, e);
    }), loadList()]);
  } else {
    for (const id of ['#kpi-today', '#kpi-close-rate', '#kpi-ontime-rate', '#kpi-overdue']) kpiUnavailable(id);
    $('#events-body').replaceChildren(el('tr', el('td', { colspan: 8 }, '您的角色不查看事件')));
  }
  paintIndicators();
  // The other modules' layers and panels (web/static/js/shell.js).
  await loadModules({ map: chart('map'), who, openEvent: openDetail })
    .catch((e) => toast(`业务模块未能加载：${e.message}`, 'error'));
  firstLoadDone = true;
  if (refreshPending) scheduleRefresh();
  const deep = new URLSearchParams(location.search).get('event');
  if (deep) await openDetail(deep);
  document.body.dataset.ready = 'true';
}

start().catch((e) => toast(e.message || String(e), 'error'));
