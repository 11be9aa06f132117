// The driver's phone page (共享停车, no app, no login): choose a destination and a window, get
// the lots with free shared spaces nearest first (the server ranks them and estimates the walk),
// book one by plate, see the entrance and the way from it to the destination, cancel. The
// booking's secret token stays on this phone (localStorage) and is what cancels it.
import { api, setUnauthorizedHandler } from './api.js';
import { $, el, busy } from './common.js';

setUnauthorizedHandler(() => {});
const KEY = 'zhizhi.parking.bookings';
const HALF_HOUR = 30 * 60e3;
let search = null; // {lon, lat, from, to, name}

// Beijing wall-clock time of ms as the value of a datetime-local input, and back.
const toLocal = (ms) => new Date(ms + 8 * 3600e3).toISOString().slice(0, 16);
const fromLocal = (v) => `${v}:00+08:00`;
const hhmm = (iso) => iso.slice(5, 16).replace('T', ' ');
// How the walk was estimated: over the walking network (stairs and slopes counted) or straight.
const walkNote = (lot) => (lot.walk_basis === 'network' ? '按步行路网，含台阶坡道' : '按直线估算，坡坎台阶另计');
const yuan = (fen) => `${(fen / 100).toFixed(fen % 100 ? 2 : 0)} 元/小时`;

function saved() {
  try { return JSON.parse(localStorage.getItem(KEY) || '[]'); } catch { return []; }
}
function save(list) { localStorage.setItem(KEY, JSON.stringify(list.slice(-20))); }

function showError(e) {
  $('#p-error').textContent = e ? (e.message || String(e)) : '';
}

async function destination() {
  const v = $('#p-dest').value;
  const name = $('#p-dest').selectedOptions[0].textContent;
  if (v !== 'here') { const [lon, lat] = v.split(',').map(Number); return { lon, lat, name }; }
  const pos = await new Promise((resolve, reject) => navigator.geolocation
    ? navigator.geolocation.getCurrentPosition(resolve, () => reject(new Error('无法获取当前位置，请选择目的地')), { timeout: 8000 })
    : reject(new Error('此浏览器不能定位，请选择目的地')));
  return { lon: pos.coords.longitude, lat: pos.coords.latitude, name: '当前位置' };
}

// A sketch of the way on foot: the destination and the lot's entrance on a small plane, joined.
function route(lot, dest) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 300 160');
  svg.setAttribute('class', 'parking-route');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `从入口步行到${dest.name}`);
  const pts = [[lot.entrance_lon, lot.entrance_lat], [dest.lon, dest.lat]];
  const k = Math.cos(dest.lat * Math.PI / 180);
  const xs = pts.map((p) => p[0] * k), ys = pts.map((p) => p[1]);
  const span = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys), 1e-6);
  const at = (i) => [40 + 220 * (xs[i] - Math.min(...xs)) / span, 130 - 100 * (ys[i] - Math.min(...ys)) / span];
  const add = (tag, attrs, text) => {
    const n = document.createElementNS(ns, tag);
    for (const [a, v] of Object.entries(attrs)) n.setAttribute(a, v);
    if (text) n.textContent = text;
    svg.append(n);
  };
  const [a, b] = [at(0), at(1)];
  add('line', { x1: a[0], y1: a[1], x2: b[0], y2: b[1], stroke: '#39c27a', 'stroke-width': 3, 'stroke-dasharray': '6 4' });
  add('circle', { cx: a[0], cy: a[1], r: 7, fill: '#39c27a' });
  add('circle', { cx: b[0], cy: b[1], r: 7, fill: '#f5a623' });
  add('text', { x: a[0] + 10, y: a[1] - 8, fill: '#c9d6e6', 'font-size': 12 }, '入口');
  add('text', { x: b[0] + 10, y: b[1] - 8, fill: '#c9d6e6', 'font-size': 12 }, dest.name);
  return svg;
}

function bookingCard(b, lot, dest, token) {
  const box = $('#p-booking');
  const cancel = el('button.danger#p-cancel', { type: 'button' }, '取消预约');
  cancel.addEventListener('click', () => busy(cancel, async () => {
    try {
      const r = await api(`/api/v1/parking/bookings/${b.id}`, { method: 'DELETE', headers: { 'X-Booking-Token': token } });
      $('#p-status').textContent = r.status_label;
      cancel.hidden = true;
      renderMine();
    } catch (e) { showError(e); }
  }));
  box.replaceChildren(
    el('h2', '预约成功'),
    el('dl',
      el('dt', '预约号'), el('dd#p-booking-id', String(b.id)),
      el('dt', '停车场'), el('dd', b.lot_name),
      el('dt', '车牌'), el('dd', b.plate),
      el('dt', '时间'), el('dd', `${hhmm(b.from)} 至 ${hhmm(b.to)}`),
      el('dt', '状态'), el('dd#p-status', b.status_label),
      el('dt', '入口'), el('dd#p-entrance', lot.entrance || '—'),
      el('dt', '步行'), el('dd', `约 ${lot.walk_minutes} 分钟（${walkNote(lot)}；直线 ${lot.distance_m} 米）`)),
    route(lot, dest),
    el('p.hint', '请在开始时间前后 15 分钟内入场，逾时未入场车位自动释放；开始前可随时取消。'),
    cancel);
  box.hidden = false;
  box.scrollIntoView({ block: 'start' });
}

function bookForm(card, lot) {
  const input = el('input', { type: 'text', maxlength: 12, placeholder: '如 渝A12345', 'aria-label': '车牌号', autocomplete: 'off' });
  const ok = el('button', { type: 'submit' }, '确认预约');
  const err = el('p.error-text', { role: 'alert' });
  const form = el('form.book-form', { novalidate: true }, el('label', '车牌号'), input, err, ok);
  form.addEventListener('submit', (x) => {
    x.preventDefault();
    busy(ok, async () => {
      err.textContent = '';
      try {
        const b = await api('/api/v1/parking/bookings', { method: 'POST',
          body: { lot: lot.lot, plate: input.value, from: search.from, to: search.to } });
        save([...saved(), { id: b.id, token: b.token, lot: lot.lot }]);
        bookingCard(b, lot, search, b.token);
        renderMine();
      } catch (e) { err.textContent = e.message; }
    });
  });
  card.append(form);
  input.focus();
}

function resultCard(lot) {
  const book = el('button', { type: 'button' }, '预约');
  const card = el('article.card.parking-result', { dataset: { lot: lot.lot } },
    el('div.row', el('strong', lot.name), el('span.pill.green', `空闲 ${lot.free} 个`)),
    el('p.hint', `${lot.kind_label} · ${yuan(lot.price_fen)} · 步行约 ${lot.walk_minutes} 分钟（${walkNote(lot)}）`),
    el('p', `入口：${lot.entrance || '—'}`),
    book);
  book.addEventListener('click', () => { book.hidden = true; bookForm(card, lot); });
  return card;
}

async function find(x) {
  x.preventDefault();
  showError(null);
  await busy($('#p-search'), async () => {
    try {
      const d = await destination();
      const from = fromLocal($('#p-from').value);
      const to = new Date(new Date(from).getTime() + Number($('#p-hours').value) * 3600e3).toISOString();
      const q = new URLSearchParams({ lon: d.lon, lat: d.lat, from, to });
      const r = await api(`/api/v1/parking/availability?${q}`);
      search = { ...d, from: r.from, to: r.to };
      const out = $('#p-results');
      if (!r.items.length) {
        out.replaceChildren(el('p.card', '这段时间附近没有空闲的共享车位，换个时间或目的地试试。'));
        return;
      }
      out.replaceChildren(el('h2', `${d.name}附近 ${hhmm(r.from)} 至 ${hhmm(r.to)} 有空位的停车场（由近到远）`),
        ...r.items.map(resultCard));
    } catch (e) { showError(e); }
  });
}

async function renderMine() {
  const list = saved();
  const box = $('#p-mine');
  if (!list.length) { box.replaceChildren(); return; }
  const items = [];
  for (const s of list.slice().reverse()) {
    try {
      const b = await api(`/api/v1/parking/bookings/${s.id}`, { headers: { 'X-Booking-Token': s.token } });
      items.push(el('li', `${b.lot_name} · ${b.plate} · ${hhmm(b.from)}–${hhmm(b.to).slice(6)} · ${b.status_label}`));
    } catch { /* forgotten by the server: skip */ }
  }
  box.replaceChildren(el('h2', '我的预约'), el('ul', items));
}

function start() {
  $('#p-from').value = toLocal(Math.ceil(Date.now() / HALF_HOUR) * HALF_HOUR + HALF_HOUR);
  $('#p-find').addEventListener('submit', find);
  renderMine().finally(() => { document.body.dataset.ready = 'true'; });
}

start();
