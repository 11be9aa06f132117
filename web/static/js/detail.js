// Pieces of an event's detail shared by the command center and the grid-worker app: its
// timeline, its photos, and the actions the logged-in user may take on it.
import { api } from './api.js';
import { el, fmtTime, label, ACTION_LABELS, ROLE_LABELS, STATE_LABELS } from './common.js';

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
      (h.to || h.to_state) && (h.to || h.to_state) !== h.from ? ` → ${label(STATE_LABELS, h.to || h.to_state)}` : '',
      h.overdue ? el('span.pill.red', { style: 'margin-left:.5em' }, '超期办理') : ''),
    h.comment ? el('div', h.comment) : '',
    shasOf(h).length ? photos([h]) : '')));
}

// Actions each role may take in each state, used only when the API does not list them.
const CENTER = {
  reported: ['accept', 'register', 'void'], verifying: ['void'],
  registered: ['dispatch', 'escalate', 'supervise', 'park', 'void'], returned: ['dispatch', 'escalate', 'park'],
  dispatched: ['supervise', 'escalate', 'park'], handling: ['supervise', 'escalate', 'park'],
  feedback: ['send_check'], checking: ['check_pass', 'check_fail'], closed: ['revisit'],
  void_pending: ['approve_void', 'reject_void'], parked: ['resume'],
};
const ASSIGNEE = { dispatched: ['sign', 'return'], handling: ['feedback', 'request_extension', 'return'] };
const FALLBACK = {
  center: CENTER, admin: CENTER, department: ASSIGNEE, board_post: ASSIGNEE,
  grid_worker: { reported: ['self_handle', 'void'], verifying: ['verify', 'void'], checking: ['check_pass', 'check_fail'] },
};

// The actions who may take on e: the API's list when it gives one.
export function allowedActions(e, who) {
  const given = e.actions || e.allowed_actions || e.available_actions;
  if (Array.isArray(given)) return given.map((a) => (typeof a === 'string' ? a : a.action || a.name));
  const role = who && who.role;
  return ((FALLBACK[role] || {})[e.state] || []).slice();
}

export async function takeAction(code, action, payload = {}) {
  return api(`/api/v1/events/${encodeURIComponent(code)}/actions/${encodeURIComponent(action)}`,
    { method: 'POST', body: payload });
}

// Actions that need a reason (the API refuses them without).
export const NEEDS_REASON = new Set(['return', 'void', 'park', 'request_extension', 'escalate', 'check_fail']);
