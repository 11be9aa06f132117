// The patroller's phone page (巡河): pick a segment, start, and the browser records the track with
// Geolocation watchPosition; findings are noted at the current position, with a photo; stop sends
// the patrol. The track is kept in localStorage as it grows (a reload or a dead battery loses
// nothing), and a finished patrol waits in a local outbox until it is accepted: with no signal it
// stays there and is sent when the connection returns. Coverage, compliance and the events come
// from the server.
import { api, ApiError, currentUser, loginUrl, logout, uploadPhoto } from './api.js';
import { $, el, fmtTime, toast, busy } from './common.js';

const RUN = 'zhizhi.patrol.run';      // the patrol being recorded
const OUTBOX = 'zhizhi.patrol.outbox'; // finished patrols not yet accepted
const MAX_POINTS = 20000;

let who = null;
let segments = [];
let run = null;
let watch = null;

const load = (k, d) => { try { return JSON.parse(localStorage.getItem(k)) ?? d; } catch { return d; } };
const save = (k, v) => localStorage.setItem(k, JSON.stringify(v));

function show(view) {
  for (const v of ['start', 'run', 'done']) $(`#view-${v}`).hidden = v !== view;
  window.scrollTo(0, 0);
}

// Haversine on the mean radius: only for the running figure on screen.
function metres(a, b) {
  const r = 6371008.8, rad = Math.PI / 180;
  const dlat = (b[1] - a[1]) * rad, dlon = (b[0] - a[0]) * rad;
  const h = Math.sin(dlat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dlon / 2) ** 2;
  return 2 * r * Math.asin(Math.sqrt(h));
}

function paintRun() {
  if (!run) return;
  const seg = segments.find((s) => s.code === run.segment);
  $('#run-segment').textContent = seg ? seg.name : run.segment;
  $('#run-points').textContent = String(run.points.length);
  let m = 0;
  for (let i = 1; i < run.points.length; i++) m += metres(run.points[i - 1], run.points[i]);
  $('#run-km').textContent = (m / 1000).toFixed(2);
  $('#run-time').textContent = `${Math.round((Date.now() - run.started) / 60000)} 分钟`;
  $('#findings').replaceChildren(...run.findings.map((f) => el('li', `${f.title}（${fmtTime(f.at)}）${f.attachments.length ? ' · 有照片' : ''}`)));
}

function onPosition(p) {
  if (!run) return;
  const pt = [Number(p.coords.longitude.toFixed(7)), Number(p.coords.latitude.toFixed(7))];
  const last = run.points[run.points.length - 1];
  if (!last || last[0] !== pt[0] || last[1] !== pt[1]) {
    if (run.points.length < MAX_POINTS) run.points.push(pt);
    save(RUN, run);
  }
  $('#run-gps').textContent = `定位精度约 ${Math.round(p.coords.accuracy || 0)} 米`;
  paintRun();
}

function startWatch() {
  if (!navigator.geolocation) { $('#run-gps').textContent = '此设备不支持定位'; return; }
  watch = navigator.geolocation.watchPosition(onPosition,
    (e) => { $('#run-gps').textContent = e.code === 1 ? '请允许定位权限后重试' : '暂时无法定位，继续记录中…'; },
    { enableHighAccuracy: true, maximumAge: 5000, timeout: 20000 });
}

function begin() {
  const code = $('#segment').value;
  if (!code) { toast('请选择岸段', 'error'); return; }
  run = { segment: code, started: Date.now(), points: [], findings: [] };
  save(RUN, run);
  show('run');
  paintRun();
  startWatch();
}

// The photo goes up at once (it is large; the patrol itself waits for the stop); without signal
// the finding is kept without it.
async function addFinding(x) {
  x.preventDefault();
  const last = run && run.points[run.points.length - 1];
  if (!last) { toast('尚未定位，请稍候再记录', 'error'); return; }
  const f = { lon: last[0], lat: last[1], at: new Date().toISOString(), title: $('#f-title').value, description: $('#f-desc').value, attachments: [] };
  const file = $('#f-photo').files[0];
  if (file) {
    try {
      f.attachments.push(await uploadPhoto(file, '/api/v1/patrol/photos'));
    } catch (e) {
      toast(`照片未能上传（${e.message}），问题已记录`, 'error');
    }
  }
  run.findings.push(f);
  $('#f-desc').value = '';
  $('#f-photo').value = '';
  save(RUN, run);
  paintRun();
  toast('问题已记录，结束巡河后上传');
}

function body(r) {
  const pts = r.points.length === 1 ? [r.points[0], r.points[0]] : r.points;
  return {
    segment: r.segment,
    started_at: new Date(r.started).toISOString(),
    ended_at: new Date(r.ended).toISOString(),
    track: { type: 'LineString', coordinates: pts },
    findings: r.findings,
  };
}

function result(p) {
  const seg = segments.find((s) => s.code === p.segment);
  $('#result').replaceChildren(
    el('p', `${seg ? seg.name : p.segment}：覆盖岸段 `, el('strong#coverage', `${Math.round(100 * p.coverage)}%`)),
    el('p#counts', { class: p.counts ? 'ok-text' : 'alert-yellow' }, p.counts ? '本次巡河计入巡河频次' : '覆盖不足一半，本次不计入巡河频次'),
    ...p.findings.map((f) => el('p.finding', `问题「${f.title}」已转为事件 `, el('a', { href: `/grid/?event=${encodeURIComponent(f.event_code)}` }, f.event_code),
      f.recurs_event ? `（反弹：同一位置曾有事件 ${f.recurs_event}）` : '')));
}

// Send every waiting patrol, oldest first; stop at the first network failure (try again later).
async function flush() {
  const box = load(OUTBOX, []);
  let last = null;
  while (box.length) {
    try {
      last = await api('/api/v1/patrol/patrols', { method: 'POST', body: body(box[0]) });
    } catch (e) {
      if (e instanceof ApiError && e.status === 0) break;
      toast(`巡河记录未被接受：${e.message}`, 'error');
      box[0].error = e.message;
      save(OUTBOX, box);
      break;
    }
    box.shift();
    save(OUTBOX, box);
  }
  $('#outbox-note').textContent = box.length ? `有 ${box.length} 次巡河待上传（网络恢复后自动上传）` : '';
  return last;
}

async function stop(x) {
  if (!run) return;
  if (watch !== null) navigator.geolocation.clearWatch(watch);
  watch = null;
  if (!run.points.length) { toast('还没有轨迹点，请确认已允许定位', 'error'); startWatch(); return; }
  run.ended = Date.now();
  const box = load(OUTBOX, []);
  box.push(run);
  save(OUTBOX, box);
  localStorage.removeItem(RUN);
  run = null;
  const p = await busy(x.currentTarget, flush);
  if (p) { result(p); show('done'); } else { show('start'); }
  refresh();
}

async function refresh() {
  const r = await api('/api/v1/patrol/segments');
  segments = r.items;
  const sel = $('#segment');
  const keep = sel.value;
  sel.replaceChildren(...segments.map((s) => el('option', { value: s.code }, `${s.name}（${s.river_name}）`)));
  if (keep) sel.value = keep;
  $('#segment-note').textContent = segments.length ? '' : '您的辖区内没有需要巡查的岸段';
  $('#start').disabled = !segments.length;
  $('#mine').replaceChildren(...segments.map((s) => el('div.card', { dataset: { code: s.code } },
    el('div', el('a', { href: `/grid/river.html?code=${encodeURIComponent(s.code)}` }, s.name)),
    el('div.hint', `每周巡河达标 ${s.compliance.met}/${s.compliance.windows} 周 · `,
      el('span', { class: s.compliance.current_met ? 'ok-text' : 'alert-yellow' }, s.compliance.current_met ? '本周已巡' : '本周未巡'),
      ` · 未办结问题 ${s.open_problems}`))));
}

async function start() {
  who = await currentUser();
  if (!who) { location.assign(loginUrl()); return; }
  $('#logout').addEventListener('click', logout);
  $('#start').addEventListener('click', begin);
  $('#stop').addEventListener('click', stop);
  $('#finding').addEventListener('submit', addFinding);
  $('#again').addEventListener('click', () => show('start'));
  window.addEventListener('online', () => flush().then(refresh).catch(() => {}));
  await refresh();
  run = load(RUN, null);
  if (run) { show('run'); paintRun(); startWatch(); }
  await flush();
  setInterval(() => { if (load(OUTBOX, []).length) flush().catch(() => {}); }, 30000);
  document.body.dataset.ready = 'true';
}

start().catch((e) => toast(e.message || String(e), 'error'));
