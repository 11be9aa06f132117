// The grid-worker phone app (网格员): the events of my grid by urgency and deadline, reporting
// an event with a photo and the position (geolocation, or a tap on the grid map), handling and
// closing with photo evidence, and 自处理 of minor events on the spot.
import { api, currentUser, loginUrl, logout, uploadPhoto } from './api.js';
import {
  $, el, fmtTime, dueText, toast, busy, ev,
} from './common.js';
import { timeline, photos, actionButtons, beforeAfter, takeAction } from './detail.js';

let who = null;
let categories = [];
let position = null; // [lon, lat] WGS84
let pickChart = null;

// ---- views -----------------------------------------------------------------------------------

function show(view) {
  for (const v of ['list', 'report', 'event']) $(`#view-${v}`).hidden = v !== view;
  $('#tab-list').setAttribute('aria-selected', String(view !== 'report'));
  $('#tab-report').setAttribute('aria-selected', String(view === 'report'));
  window.scrollTo(0, 0);
  if (view === 'report') { initPickMap(); if (!position) locate(); }
}

// ---- my events -------------------------------------------------------------------------------

// 待我处理: the steps that are mine (the server decides, ordered by deadline); 本网格: every event
// of my grid, 特急 first. Paging, sorting and filtering are the server's.
let listMode = 'mine';
let listNext = null;

function card(e) {
  // A countdown only for my own step; otherwise whose step it is.
  const due = e.my_turn && ev.due(e);
  return el('button.ev-card.' + (e.urgency || 'normal') + (e.my_turn && e.alert === 'red' ? '.red' : ''),
    { type: 'button', dataset: { code: ev.code(e), mine: String(!!e.my_turn) }, onclick: () => openEvent(ev.code(e)) },
    el('div.t', e.title),
    el('div.m', e.state_label || '', ' · ', (e.urgency_label || ''), ' · ', ev.category(e)),
    el('div.m', { class: due && e.alert === 'red' ? 'm alert-red' : due && e.alert === 'yellow' ? 'm alert-yellow' : 'm' },
      due ? `我的期限 ${fmtTime(ev.due(e))}（${dueText(ev.due(e))}）`
        : e.turn_label ? `等待${e.turn_label}处理 · 上报于 ${fmtTime(ev.created(e))}` : `上报于 ${fmtTime(ev.created(e))}`),
    e.address ? el('div.m', e.address) : '');
}

async function loadMine(more = false) {
  const box = $('#my-events');
  const q = new URLSearchParams({ limit: '30' });
  if (listMode === 'mine') { q.set('mine', '1'); q.set('status', 'open'); q.set('sort', 'due_at'); }
  else { q.set('sort', 'urgency'); if ($('#list-filter').value) q.set('status', $('#list-filter').value); }
  if (who.grid) q.set('region', who.grid);
  if (more && listNext) q.set('cursor', listNext);
  let r;
  try {
    r = await api('/api/v1/events?' + q);
  } catch (e) {
    box.replaceChildren(el('p.error-text', e.message));
    return;
  }
  const items = r.items || [];
  listNext = r.next || null;
  $('#list-more').hidden = !listNext;
  if (more) { box.append(...items.map(card)); return; }
  if (!items.length) { box.replaceChildren(el('p.hint', listMode === 'mine' ? '暂无待我处理的事件' : '本网格暂无事件')); return; }
  box.replaceChildren(...items.map(card));
}

function setListMode(mode) {
  listMode = mode;
  $('#list-mine').setAttribute('aria-pressed', String(mode === 'mine'));
  $('#list-grid').setAttribute('aria-pressed', String(mode === 'grid'));
  $('#list-filter').hidden = mode === 'mine';
  return loadMine();
}

// ---- one event -------------------------------------------------------------------------------

// Closing actions want evidence: a photo of the result.
async function openEvent(code) {
  let e, hist;
  try {
    [e, hist] = await Promise.all([
      api(`/api/v1/events/${encodeURIComponent(code)}`),
      api(`/api/v1/events/${encodeURIComponent(code)}/history`).catch(() => []),
    ]);
  } catch (err) { toast(err.message, 'error'); return; }
  e = e.event || e;
  const items = Array.isArray(hist) ? hist : (hist && hist.items) || [];
  $('#ev-title').textContent = e.title;
  const { box, count } = actionButtons(e, {
    big: true,
    upload: async (files) => { const out = []; for (const f of files) out.push(await uploadPhoto(f)); return out; },
    submit: async (a, payload, key) => {
      await takeAction(ev.code(e), a.name, payload, key);
      toast(`已${a.label}`, 'ok');
      await openEvent(ev.code(e));
      loadMine();
    },
  });
  $('#ev-body').replaceChildren(
    el('p', el('span.pill', e.state_label || ''), ' ', el('span.pill', (e.urgency_label || '')),
      e.alert === 'red' ? el('span.pill.red', { style: 'margin-left:.3em' }, '已超期') : ''),
    el('p.hint', ev.code(e), ' · ', ev.category(e), ' · ', fmtTime(ev.created(e))),
    e.my_turn && ev.due(e) ? el('p', `我的期限：${fmtTime(ev.due(e))}（${dueText(ev.due(e))}）`)
      : e.turn_label ? el('p.hint', `当前环节：等待${e.turn_label}处理`) : '',
    el('p', e.description || ''), e.address ? el('p.hint', e.address) : '',
    ['feedback', 'checking', 'closed', 'revisited'].includes(e.state) ? beforeAfter(e, items) : photos([e, ...items]),
    ...(count ? [el('h3', '操作'), box] : [el('p.hint', '当前无需您处理')]),
    el('h3', '办理过程'), timeline(items));
  show('event');
}

// ---- report ----------------------------------------------------------------------------------

function setPosition(p, how) {
  position = p;
  $('#r-pos').textContent = `${how}：${p[0].toFixed(6)}, ${p[1].toFixed(6)}`;
  if (pickChart) pickChart.setOption({ series: [{ data: [p] }] });
}

function locate() {
  if (!navigator.geolocation) { $('#r-pos').textContent = '此设备不支持定位，请在地图上点选'; return; }
  $('#r-pos').textContent = '定位中…（也可在下图点选）';
  navigator.geolocation.getCurrentPosition(
    (g) => setPosition([g.coords.longitude, g.coords.latitude], '已定位'),
    () => { if (!position) $('#r-pos').textContent = '定位失败，请在地图上点选'; },
    { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
}

// The map picker is built once, when the report view is first shown (it needs a size). One load
// at a time; a failed load says so under the map and offers a retry; a size change (the view
// shown again, the phone turned) redraws it at its new size, so it never stays 0×0.
let pickLoading = null;
function initPickMap() {
  if (pickChart) return Promise.resolve();
  if (!pickLoading) pickLoading = buildPickMap().finally(() => { pickLoading = null; });
  return pickLoading;
}

function pickStatus(text, retry) {
  const box = $('#pick-status');
  box.replaceChildren(text, retry ? el('button.secondary', { type: 'button', onclick: () => initPickMap() }, '重试') : '');
  box.hidden = !text;
  $('#pick-map').dataset.status = retry ? 'error' : text ? 'loading' : 'ready';
}

async function buildPickMap() {
  const map = $('#pick-map');
  if (!window.echarts) { pickStatus('地图组件未能加载，请刷新页面；也可使用定位。', true); return; }
  pickStatus('地图加载中…');
  // The worker's community: their grid and its neighbours.
  const parent = who.grid ? who.grid.slice(0, 12) : null;
  let fc, bbox = null;
  try {
    [fc, bbox] = await Promise.all([
      api(parent ? `/api/v1/regions/${parent}.geojson` : '/api/v1/regions.geojson?level=grid'),
      who.grid ? api(`/api/v1/regions/${encodeURIComponent(who.grid)}`).then((g) => g.bbox, () => null) : null,
    ]);
  } catch (e) {
    pickStatus(`地图加载失败（${e.message}）`, true);
    return;
  }
  for (const f of fc.features) f.properties.code = f.properties.code || f.id;
  window.echarts.registerMap('pick', fc);
  pickChart = window.echarts.init(map);
  // Hidden (0×0) is no size to draw at: wait until shown again.
  new ResizeObserver(() => { if (map.clientWidth && map.clientHeight) pickChart.resize(); }).observe(map);
  // Open on my grid with some of its surroundings (else the whole community).
  let bounds;
  if (bbox) {
    const [w, s, e, n] = bbox;
    const dx = (e - w) * 0.6, dy = (n - s) * 0.6;
    bounds = [[w - dx, n + dy], [e + dx, s - dy]];
  }
  pickChart.setOption({
    geo: { map: 'pick', nameProperty: 'code', roam: true, label: { show: false }, boundingCoords: bounds,
      itemStyle: { areaColor: '#e8f0fb', borderColor: '#7aa7d9' },
      regions: who.grid ? [{ name: who.grid, itemStyle: { areaColor: '#bcd6f5' } }] : [],
      emphasis: { disabled: true } },
    series: [{ type: 'scatter', coordinateSystem: 'geo', symbolSize: 14, itemStyle: { color: '#c62828' }, data: position ? [position] : [] }],
  });
  pickChart.getZr().on('click', (x) => {
    const p = pickChart.convertFromPixel({ geoIndex: 0 }, [x.offsetX, x.offsetY]);
    if (p && isFinite(p[0])) setPosition(p, '地图点选');
  });
  pickStatus('');
  map.dataset.ready = 'true';
}

function fillCategories() {
  const sel = $('#r-category');
  const groups = new Map();
  for (const c of categories) {
    const g = c.major || '其他';
    if (!groups.has(g)) groups.set(g, el('optgroup', { label: g }));
    groups.get(g).append(el('option', { value: c.code }, c.name));
  }
  sel.append(...groups.values());
  sel.addEventListener('change', () => {
    const c = categories.find((x) => x.code === sel.value);
    $('#r-self-box').hidden = !(c && c.self_handle);
    if (c && !$('#r-title').value) $('#r-title').value = c.name;
  });
}

$('#r-photo') && $('#r-photo').addEventListener('change', () => {
  const pv = $('#r-preview');
  pv.replaceChildren(...[...$('#r-photo').files].map((f) => el('img', { src: URL.createObjectURL(f), alt: '待上传照片' })));
});

async function submitReport(x) {
  x.preventDefault();
  const out = $('#r-error');
  out.textContent = '';
  const category = $('#r-category').value;
  const title = $('#r-title').value.trim();
  const files = [...$('#r-photo').files];
  const self = !$('#r-self-box').hidden && $('#r-self').checked;
  if (!category) { out.textContent = '请选择事件类别'; $('#r-category').focus(); return; }
  if (!title) { out.textContent = '请填写标题'; $('#r-title').focus(); return; }
  if (!position) { out.textContent = '请定位或在地图上点选位置'; return; }
  if (self && !files.length) { out.textContent = '自处理须附处理后的照片'; return; }
  await busy($('#r-submit'), async () => {
    const shas = [];
    for (const f of files) shas.push(await uploadPhoto(f));
    const body = {
      channel: 'grid_patrol', category, title, description: $('#r-description').value.trim() || undefined,
      lon: position[0], lat: position[1], address: $('#r-address').value.trim() || undefined,
      attachments: shas,
    };
    if ($('#r-urgency').value) body.urgency = $('#r-urgency').value;
    const created = await api('/api/v1/events', { method: 'POST', body });
    const e = created.event || created;
    if (self) await takeAction(ev.code(e), 'self_handle', { comment: '现场自处理', result: '现场自处理', attachments: shas });
    toast(`已上报，编号 ${ev.code(e)}`, 'ok');
    $('#report-form').reset();
    $('#r-preview').replaceChildren();
    $('#r-self-box').hidden = true;
    show('list');
    await loadMine();
  });
}

// ---- start -----------------------------------------------------------------------------------

async function start() {
  who = await currentUser();
  if (!who) { location.assign(loginUrl()); return; }
  $('#app-title').textContent = `网格员 · ${who.display_name || who.username}`;
  $('#logout').addEventListener('click', logout);
  $('#tab-list').addEventListener('click', () => { show('list'); loadMine(); });
  $('#tab-report').addEventListener('click', () => show('report'));
  $('#ev-back').addEventListener('click', () => { show('list'); loadMine(); });
  $('#list-filter').addEventListener('change', () => loadMine());
  $('#list-mine').addEventListener('click', () => setListMode('mine'));
  $('#list-grid').addEventListener('click', () => setListMode('grid'));
  $('#list-more').addEventListener('click', () => loadMine(true));
  $('#r-locate').addEventListener('click', locate);
  $('#report-form').addEventListener('submit', submitReport);
  if (who.grid) {
    api(`/api/v1/regions/${encodeURIComponent(who.grid)}`).then((g) => { $('#grid-name').textContent = g.name; }).catch(() => {});
  }
  try {
    const r = await api('/api/v1/categories');
    categories = Array.isArray(r) ? r : r.items || [];
  } catch (e) { toast('类别加载失败：' + e.message, 'error'); }
  fillCategories();
  await loadMine();
  const deep = new URLSearchParams(location.search).get('event');
  if (deep) await openEvent(deep);
  document.body.dataset.ready = 'true';
}

start().catch((e) => { if (e.status !== 401) toast(e.message || String(e), 'error'); });
