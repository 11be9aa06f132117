// The patroller's phone page (巡河): pick a segment, start, and the browser records the track with
// Geolocation watchPosition; findings are noted at the current position, with a photo; stop
// finishes the patrol. The run lives on the server from the start (/api/v1/patrol/runs, under a
// key made here): the points go up in batches while walking (every BATCH points or 30 s), so a
// phone lost on the bank has sent all but its last batch. The track is also kept in localStorage
// as it grows (a reload loses nothing); without signal the batches wait, and a stopped patrol
// waits in a local outbox until the server has every point and the finish. Every request can be
// sent again (its answer lost): the server ignores points it has and a second finish. Coverage,
// compliance and the events come from the server.
import { api, ApiError, currentUser, loginUrl, logout, uploadPhoto } from './api.js';
import { $, el, fmtTime, toast, busy } from './common.js';

const RUN = 'zhizhi.patrol.run';      // the patrol being recorded
const OUTBOX = 'zhizhi.patrol.outbox'; // stopped patrols whose points or finish are not yet accepted
const MAX_POINTS = 20000;
const BATCH = 20;        // points that make a batch worth sending while walking
const BATCH_MS = 30000;  // or this long since the last one
const CHUNK = 500;       // points of one request

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
  $('#run-sent').textContent = String(run.sent || 0);
  let m = 0;
  for (let i = 1; i < run.points.length; i++) m += metres(run.points[i - 1], run.points[i]);
  $('#run-km').textContent = (m / 1000).toFixed(2);
  $('#run-time').textContent = `${Math.round((Date.now() - run.started) / 60000)} 分钟`;
  $('#findings').replaceChildren(...run.findings.map((f) => el('li', `${f.title}（${fmtTime(f.at)}）${f.attachments.length ? ' · 有照片' : ''}`)));
}

function onPosition(p) {
  if (!run) return;
  const pt = [Number(p.coords.longitude.toFixed(7)), Number(p.coords.latitude.toFixed(7)), Math.round((p.timestamp || Date.now()) / 1000)];
  const last = run.points[run.points.length - 1];
  if (!last || last[0] !== pt[0] || last[1] !== pt[1]) {
    if (run.points.length < MAX_POINTS) run.points.push(pt);
    save(RUN, run);
  }
  $('#run-gps').textContent = `定位精度约 ${Math.round(p.coords.accuracy || 0)} 米`;
  paintRun();
  if (run.points.length - (run.sent || 0) >= BATCH || Date.now() - (run.synced || 0) >= BATCH_MS) pushRun();
}

function startWatch() {
  if (!navigator.geolocation) { $('#run-gps').textContent = '此设备不支持定位'; return; }
  watch = navigator.geolocation.watchPosition(onPosition,
    (e) => { $('#run-gps').textContent = e.code === 1 ? '请允许定位权限后重试' : '暂时无法定位，继续记录中…'; },
    { enableHighAccuracy: true, maximumAge: 5000, timeout: 20000 });
}

function newKey() {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return 'r' + [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}

function begin() {
  const code = $('#segment').value;
  if (!code) { toast('请选择岸段', 'error'); return; }
  run = { key: newKey(), segment: code, started: Date.now(), points: [], sent: 0, opened: false, findings: [] };
  save(RUN, run);
  show('run');
  paintRun();
  startWatch();
  pushRun();
}

// Bring the server's copy of run r up to date: open it, send the points it lacks in order, and
// finish it once stopped (returns the recorded patrol then). persist() keeps r's progress. A
// network failure throws ApiError status 0 and leaves r to be tried again.
async function syncRun(r, persist) {
  const base = `/api/v1/patrol/runs/${encodeURIComponent(r.key)}`;
  if (!r.opened) {
    await api('/api/v1/patrol/runs', { method: 'POST', body: { key: r.key, segment: r.segment, started_at: new Date(r.started).toISOString() } });
    r.opened = true;
    persist();
  }
  let finished = false;
  while (!finished && (r.sent || 0) < r.points.length) {
    try {
      const s = await api(`${base}/points`, { method: 'POST', body: { from: r.sent || 0, points: r.points.slice(r.sent || 0, (r.sent || 0) + CHUNK) } });
      r.sent = s.points;
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 409) throw e;
      if (e.field === 'key') { finished = true; break; } // finished already (the finish's answer was lost)
      r.sent = (await api(base)).points;                   // a hole: resume where the server is
    }
    r.synced = Date.now();
    persist();
  }
  r.synced = Date.now();
  if (!r.ended) return null;
  const body = { ended_at: new Date(r.ended).toISOString(), points: r.points.length, findings: r.findings };
  return api(`${base}/finish`, { method: 'POST', body });
}

let inflight = null;

// Send the running patrol's new points now (one sync at a time; without signal they wait).
function pushRun() {
  if (!run || inflight) return inflight;
  const r = run;
  inflight = syncRun(r, () => { if (run === r) save(RUN, r); })
    .catch((e) => {
      if (e instanceof ApiError && e.status === 0) return;
      toast(`巡河记录未被接受：${e.message}`, 'error');
    })
    .finally(() => { inflight = null; if (run === r) paintRun(); });
  return inflight;
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

function result(p) {
  const seg = segments.find((s) => s.code === p.segment);
  $('#result').replaceChildren(
    el('p', `${seg ? seg.name : p.segment}：覆盖岸段 `, el('strong#coverage', `${Math.round(100 * p.coverage)}%`)),
    el('p#counts', { class: p.counts ? 'ok-text' : 'alert-yellow' }, p.counts ? '本次巡河计入巡河频次' : '覆盖不足一半，本次不计入巡河频次'),
    ...p.findings.map((f) => el('p.finding', `问题「${f.title}」已转为事件 `, el('a', { href: `/grid/?event=${encodeURIComponent(f.event_code)}` }, f.event_code),
      f.recurs_event ? `（反弹：同一位置曾有事件 ${f.recurs_event}）` : '')));
}

// Send every waiting patrol, oldest first; stop at the first network failure (try again later).
// A patrol the server refuses (a finding too far from the bank…) stays with its reason.
let flushing = null;
function flush() {
  flushing ||= flushAll().finally(() => { flushing = null; });
  return flushing;
}

async function flushAll() {
  const box = load(OUTBOX, []);
  let last = null;
  for (let i = 0; i < box.length;) {
    const r = box[i];
    if (!r.key) Object.assign(r, { key: newKey(), opened: false, sent: 0 }); // kept by an older page
    if (r.error) { i++; continue; }
    try {
      last = await syncRun(r, () => save(OUTBOX, box));
    } catch (e) {
      if (e instanceof ApiError && e.status === 0) break;
      toast(`巡河记录未被接受：${e.message}`, 'error');
      r.error = e.message;
      save(OUTBOX, box);
      i++;
      continue;
    }
    box.splice(i, 1);
    save(OUTBOX, box);
  }
  const waiting = box.filter((r) => !r.error).length, refused = box.length - waiting;
  $('#outbox-note').textContent = [waiting ? `有 ${waiting} 次巡河待上传（网络恢复后自动上传）` : '',
    refused ? `${refused} 次巡河未被接受：${box.find((r) => r.error).error}` : ''].filter(Boolean).join('；');
  return last;
}

async function stop(x) {
  if (!run || run.ended) return;
  const button = x.currentTarget;
  if (watch !== null) navigator.geolocation.clearWatch(watch);
  watch = null;
  if (!run.points.length) { toast('还没有轨迹点，请确认已允许定位', 'error'); startWatch(); return; }
  run.ended = Date.now();
  await inflight; // a batch on its way finishes first
  const box = load(OUTBOX, []);
  box.push(run);
  save(OUTBOX, box);
  localStorage.removeItem(RUN);
  run = null;
  await flushing; // one already going did not see this patrol
  const p = await busy(button, flush);
  if (p) { result(p); show('done'); } else { show('start'); }
  refresh();
}

// A patrol walked with another app or a GPS logger: its GPX file goes up as the track, its point
// times as the patrol's start and end (the server reads the file and names the line at fault).
async function importGpx(x) {
  x.preventDefault();
  const code = $('#segment').value, file = $('#gpx-file').files[0];
  if (!code) { toast('请选择岸段', 'error'); return; }
  if (!file) { toast('请选择 GPX 文件', 'error'); return; }
  const gpx = await file.text();
  const p = await busy($('#gpx-send'), () => api('/api/v1/patrol/patrols', { method: 'POST', body: { segment: code, gpx } }));
  if (!p) return; // busy showed the server's reason (the GPX line at fault)
  $('#gpx-file').value = '';
  result(p);
  show('done');
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
  $('#gpx-form').addEventListener('submit', importGpx);
  $('#again').addEventListener('click', () => show('start'));
  window.addEventListener('online', () => { pushRun(); flush().then(refresh).catch(() => {}); });
  await refresh();
  run = load(RUN, null);
  if (run) {
    if (!run.key) Object.assign(run, { key: newKey(), opened: false, sent: 0 }); // kept by an older page
    show('run'); paintRun(); startWatch(); pushRun();
  }
  await flush();
  setInterval(() => {
    if (run && (run.sent || 0) < run.points.length) pushRun();
    if (load(OUTBOX, []).some((r) => !r.error)) flush().catch(() => {});
  }, BATCH_MS);
  document.body.dataset.ready = 'true';
}

start().catch((e) => toast(e.message || String(e), 'error'));
