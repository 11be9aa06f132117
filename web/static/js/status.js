// The public status page of a resident's report: progress steps only — no handler names, no
// internal notes (the API gives only what may be shown).
import { api, setUnauthorizedHandler } from './api.js';
import { $, el, fmtTime } from './common.js';

setUnauthorizedHandler(() => {});

async function show(t) {
  const out = $('#result');
  out.replaceChildren(el('p.hint', '查询中…'));
  let r;
  try {
    r = await api(`/api/v1/public/reports/${encodeURIComponent(t)}`);
  } catch (e) {
    out.replaceChildren(el('p.error-text', e.status === 404 ? '查无此查询码，请核对后重试。' : e.message));
    return;
  }
  const steps = r.steps || r.progress || [];
  out.replaceChildren(el('div.card',
    el('p', '查询码 ', el('strong#status-tracking', r.tracking || t)),
    el('p', '当前状态：', el('strong#status-state', r.state_label || r.status_label || r.state || r.status)),
    r.category || r.category_name ? el('p', '问题类型：', r.category || r.category_name) : '',
    r.agency ? el('p', '办理单位：', r.agency) : '',
    r.status_note ? el('p', r.status_note) : '',
    r.expected_at && r.open !== false ? el('p', '预计办结：', fmtTime(r.expected_at)) : '',
    el('h3', '办理进度'),
    el('ol.timeline#status-steps', steps.map((s) => el('li', el('div.when', fmtTime(s.at)), el('div', s.label || s.text))))));
}

const t = new URLSearchParams(location.search).get('t');
if (t) { $('#t').value = t; show(t); }
$('#lookup').addEventListener('submit', (x) => {
  x.preventDefault();
  const v = $('#t').value.trim();
  if (!v) return;
  history.replaceState(null, '', `?t=${encodeURIComponent(v)}`);
  show(v);
});
