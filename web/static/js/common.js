// Helpers shared by the browser apps: DOM building, Chinese labels of the event vocabularies,
// time formatting (Asia/Shanghai), and small UI pieces (toast, busy buttons).

// el('div.card#x', {onclick}, child, 'text', ...) → element.
export function el(spec, attrs, ...children) {
  const m = spec.match(/^([a-z0-9]+)?((?:[.#][\w-]+)*)$/i);
  const node = document.createElement((m && m[1]) || 'div');
  if (m && m[2]) for (const part of m[2].match(/[.#][\w-]+/g)) {
    if (part[0] === '.') node.classList.add(part.slice(1)); else node.id = part.slice(1);
  }
  if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k === 'style') node.style.cssText = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

export const $ = (sel, root = document) => root.querySelector(sel);

// The one way user text enters HTML markup (ECharts tooltip formatters take HTML strings):
// & < > " ' become entities, so a title such as <meta http-equiv=refresh> stays text. Everything
// else builds nodes with el()/textContent; tests/e2e/web_lint.test.mjs fails on any other path.
const ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function esc(v) {
  return (v === null || v === undefined ? '' : String(v)).replace(/[&<>"']/g, (c) => ESC[c]);
}

export const STATE_LABELS = {
  reported: '待受理', verifying: '核实中', registered: '已立案', dispatched: '已派遣',
  handling: '处置中', feedback: '已反馈', checking: '核查中', closed: '已结案',
  revisited: '已回访', returned: '已退回', parked: '挂账', void_pending: '作废待审批',
  voided: '已作废', merged: '已并案',
};
export const URGENCY_LABELS = { normal: '一般', urgent: '紧急', critical: '特急' };
export const URGENCY_RANK = { critical: 0, urgent: 1, normal: 2 };
export const CHANNEL_LABELS = {
  grid_patrol: '网格巡查', hotline_12345: '12345热线', citizen_qr: '扫码上报', enterprise: '企业诉求',
  visit: '下访接访', supervision: '监督', sensor: '传感器预警', assigned: '上级交办',
};
export const ACTION_LABELS = {
  accept: '受理', verify: '核实立案', register: '立案', dispatch: '派遣', sign: '签收',
  return: '退回', request_extension: '申请延期', approve_extension: '批准延期', reject_extension: '驳回延期',
  feedback: '处置反馈', send_check: '派核查', check_pass: '核查通过并结案', check_fail: '核查不通过',
  revisit: '回访', park: '挂账', resume: '恢复办理', self_handle: '自处理结案', escalate: '升级',
  assign_down: '交办', merge: '并案', supervise: '督办', void: '申请作废', approve_void: '批准作废',
  reject_void: '驳回作废', report: '上报', create: '上报', note: '备注', overdue: '超期督办',
  merged_in: '并入事件', warn: '预警',
};
export const ROLE_LABELS = {
  admin: '管理员', center: '指挥中心', board_post: '板块岗位', department: '承办部门', grid_worker: '网格员',
  volunteer: '志愿者', auditor: '纪检监督', system: '系统', citizen: '群众',
};
export const ALERT_LABELS = { none: '正常', yellow: '即将超期', red: '已超期' };

export const label = (map, k) => (k && map[k]) || k || '';

// Seconds or milliseconds since the epoch, or an ISO 8601 string → Date.
export function toDate(t) {
  if (t === null || t === undefined || t === '' || t === 0) return null;
  if (typeof t === 'number') return new Date(t < 1e12 ? t * 1000 : t);
  const d = new Date(t);
  return isNaN(d) ? null : d;
}

const fmt = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false,
});
const fmtDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

export function fmtTime(t) {
  const d = toDate(t);
  return d ? fmt.format(d) : '—';
}
// "2026-11-29" in Asia/Shanghai.
export function dayKey(t) {
  const d = toDate(t);
  return d ? fmtDay.format(d) : '';
}

// "还剩 3 小时" / "超期 2 小时".
export function dueText(t) {
  const d = toDate(t);
  if (!d) return '';
  const mins = Math.round((d - Date.now()) / 60000);
  const abs = Math.abs(mins);
  const span = abs >= 1440 ? `${Math.round(abs / 1440)} 天` : abs >= 60 ? `${Math.round(abs / 60)} 小时` : `${abs} 分钟`;
  return mins >= 0 ? `还剩 ${span}` : `超期 ${span}`;
}

export function toast(msg, kind = 'info') {
  let box = document.getElementById('toasts');
  if (!box) {
    box = el('div#toasts', { role: 'status', 'aria-live': 'polite' });
    document.body.append(box);
  }
  const t = el('div.toast.' + kind, msg);
  box.append(t);
  setTimeout(() => t.remove(), 5000);
}

// Run fn while button shows it is busy; errors become a toast.
// opts.quiet: the caller shows the error itself (beside its field), no toast.
export async function busy(button, fn, opts = {}) {
  const old = button.textContent;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await fn();
  } catch (e) {
    if (!opts.quiet) toast(e.message || String(e), 'error');
    return undefined;
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = old;
  }
}

// The event fields under the names the API may use.
export const ev = {
  code: (e) => e.code || e.event_code,
  created: (e) => e.created_at || e.created,
  due: (e) => e.due_at || e.deadline,
  category: (e) => e.category_name || (e.category && e.category.name) || e.category || '',
  pos: (e) => (Array.isArray(e.position) ? e.position
    : e.location && Array.isArray(e.location.coordinates) ? e.location.coordinates
    : (e.lon !== undefined && e.lat !== undefined) ? [e.lon, e.lat] : null),
};
