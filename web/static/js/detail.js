// Pieces of an event's detail shared by the command center and the grid-worker app: its
// timeline, its photos, and the actions the logged-in user may take on it.
import { api } from './api.js';
import { busy, el, fmtTime, label, ACTION_LABELS, ROLE_LABELS, STATE_LABELS } from './common.js';

export const attachmentUrl = (sha) => `/api/v1/attachments/${encodeURIComponent(sha)}`;

function shasOf(x) {
  const a = x && (x.attachments || x.photos);
  if (!a) return [];
  if (typeof a === 'string') return a.split(',').filter(Boolean);
  return a.map((p) => (typeof p === 'string' ? p : p.sha256 || p.sha || p.id)).filter(Boolean);
}

export function photos(list) {
  const shas = [...new Set(list.flatMap(shasOf))];
  if (!shas.length) return el('p.hint', '无照片');
  return el('div.photos', shas.map((s) => el('a', { href: attachmentUrl(s), target: '_blank', rel: 'noopener' },
    el('img', { src: attachmentUrl(s), alt: '现场照片', loading: 'lazy' }))));
}

export function timeline(history) {
  const items = Array.isArray(history) ? history : (history && history.items) || [];
  if (!items.length) return el('p.hint', '暂无记录');
  return el('ol.timeline', items.map((h) => el('li',
    el('div.when', fmtTime(h.at || h.time || h.created_at), ' ',
      h.actor_name || h.actor || '', h.actor_role ? `（${label(ROLE_LABELS, h.actor_role)}）` : ''),
    el('div', el('strong', h.action_label || label(ACTION_LABELS, h.action)),
      (h.to || h.to_state) && (h.to || h.to_state) !== h.from ? ` → ${h.to_label || label(STATE_LABELS, h.to || h.to_state)}` : '',
      h.overdue ? el('span.pill.red', { style: 'margin-left:.5em' }, '超期办理') : ''),
    h.comment ? el('div', h.comment) : '',
    shasOf(h).length ? photos([h]) : '')));
}

// The actions the server offers the caller on e now (the event read's `actions`); nothing is
// guessed here — an event read without the list offers nothing.
export function offeredActions(e) {
  return Array.isArray(e && e.actions) ? e.actions.filter((a) => a && a.name) : [];
}

// A fresh idempotency key: a form keeps one key for its life, so a double tap or a retry after a
// lost answer takes the action once.
export function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export async function takeAction(code, action, payload = {}, key = newKey()) {
  return api(`/api/v1/events/${encodeURIComponent(code)}/actions/${encodeURIComponent(action)}`,
    { method: 'POST', body: payload, headers: { 'Idempotency-Key': key } });
}

// datetime-local value (Asia/Shanghai wall time) → RFC 3339 with +08:00.
const toIso = (v) => (v ? `${v.length === 16 ? v + ':00' : v}+08:00` : undefined);

// One input of an action form, from the server's field description.
function fieldInput(f, id) {
  const req = !!f.required;
  const unit = f.unit ? `（${f.unit}）` : '';
  const lab = el('label', { for: id }, f.label || f.name, unit, req ? el('span.req', '（必填）') : '');
  let input;
  switch (f.type) {
    case 'text':
      input = el('textarea', { id, name: f.name, rows: 2, required: req, maxlength: f.max ?? undefined });
      break;
    case 'integer':
      input = el('input', { id, name: f.name, type: 'number', inputmode: 'numeric', step: 1, required: req,
        min: f.min ?? undefined, max: f.max ?? undefined, value: f.default ?? undefined });
      break;
    case 'choice':
      input = el('select', { id, name: f.name, required: req },
        req && (f.default === null || f.default === undefined) ? el('option', { value: '' }, '请选择') : '',
        !req ? el('option', { value: '' }, '（不选）') : '',
        (f.choices || []).map((c) => el('option', { value: c.value, selected: c.value === f.default }, c.label)));
      break;
    case 'photos':
      input = el('input', { id, name: f.name, type: 'file', accept: 'image/*', capture: 'environment', multiple: (f.max || 3) > 1 });
      break;
    case 'datetime':
      input = el('input', { id, name: f.name, type: 'datetime-local', required: req });
      break;
    case 'date':
      input = el('input', { id, name: f.name, type: 'date', required: req });
      break;
    default:
      input = el('input', { id, name: f.name, required: req, maxlength: f.max ?? undefined, value: f.default ?? undefined });
  }
  input.dataset.field = f.name;
  input.dataset.type = f.type;
  const hint = f.type === 'photos' ? el('p.hint', `最多 ${f.max || 3} 张，上传前在本机压缩`)
    : f.type === 'integer' && f.min !== null && f.max !== null ? el('p.hint', `${f.min}–${f.max}${f.unit || ''}`) : '';
  return [lab, input, hint];
}

// The form of one offered action: its fields exactly as the server describes them. submit(payload,
// key) — submit(action, payload, key) — sends it (the caller decides how: now, or into the outbox); photos are uploaded first.
// The server's Chinese detail is shown on refusal.
export function actionForm(a, { submit, upload, big = false, onCancel } = {}) {
  const key = newKey();
  const form = el('form.card.action-form', { style: 'margin-top:.6em', 'aria-label': a.label, dataset: { action: a.name } },
    el('h3', a.label));
  const prefix = `act-${a.name}-`;
  for (const f of a.fields || []) form.append(...fieldInput(f, prefix + f.name));
  const err = el('p.error', { role: 'alert' });
  const ok = el(big ? 'button.big' : 'button', { type: 'submit' }, `确认${a.label}`);
  form.append(err, el('div.actions', ok,
    el('button.secondary', { type: 'button', onclick: () => { form.remove(); onCancel?.(); } }, '取消')));
  form.addEventListener('submit', async (x) => {
    x.preventDefault();
    err.textContent = '';
    const payload = {};
    const files = {};
    for (const f of a.fields || []) {
      const input = form.querySelector(`[data-field="${f.name}"]`);
      if (f.type === 'photos') {
        const list = [...input.files];
        if (list.length < (f.required ? Math.max(1, f.min || 1) : 0) || list.length > (f.max || 3)) {
          err.textContent = `${f.label}：请选择 ${f.required ? Math.max(1, f.min || 1) : 0}–${f.max || 3} 张照片`;
          input.focus();
          return;
        }
        if (list.length) files[f.name] = list;
        continue;
      }
      const v = input.value.trim();
      if (!v) {
        if (f.required) { err.textContent = `请填写${f.label}`; input.focus(); return; }
        continue;
      }
      if (f.type === 'integer') {
        const n = Number(v);
        if (!Number.isInteger(n) || (f.min !== null && f.min !== undefined && n < f.min) || (f.max !== null && f.max !== undefined && n > f.max)) {
          err.textContent = `${f.label}须为 ${f.min}–${f.max} 之间的整数`;
          input.focus();
          return;
        }
        payload[f.name] = n;
      } else if (f.type === 'datetime') payload[f.name] = toIso(v);
      else payload[f.name] = v;
    }
    await busy(ok, async () => {
      try {
        for (const [name, list] of Object.entries(files)) payload[name] = await upload(list);
        await submit(a, payload, key);
      } catch (e) {
        err.textContent = e.message || String(e);
        throw e;
      }
    });
  });
  return form;
}

// The buttons of the offered actions, each opening its form after `box`.
export function actionButtons(e, opts) {
  const acts = offeredActions(e);
  const box = el('div.actions', { id: opts.id || undefined });
  for (const a of acts) {
    box.append(el(opts.big ? 'button.big' : 'button', { type: 'button', dataset: { action: a.name },
      onclick: () => {
        box.parentNode.querySelector('form.action-form')?.remove();
        const f = actionForm(a, opts);
        box.after(f);
        f.querySelector('input,textarea,select')?.focus();
      } }, a.label));
  }
  return { box, count: acts.length };
}

// The last handling result (处置反馈) with its photos, and the first photos of the report: shown
// side by side (before / after) so the one who checks sees both.
export function beforeAfter(e, history) {
  const items = Array.isArray(history) ? history : (history && history.items) || [];
  const fb = [...items].reverse().find((h) => h.action === 'feedback' || h.action === 'self_handle');
  const before = photos([e]);
  const after = fb ? photos([fb]) : el('p.hint', '尚无处置照片');
  return el('div.before-after',
    el('div', el('h4', '处置前'), before),
    el('div', el('h4', '处置后'), fb && (fb.result || fb.comment) ? el('p.result', fb.result || fb.comment) : '', after));
}
