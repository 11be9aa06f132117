// The public status page of a resident's report: progress steps only — no handler names, no
// internal notes (the API gives only what may be shown) — the expected date, the handling unit,
// and, once it is closed, the resident's own rating (回访 satisfaction) with the choices the
// server offers.
import { api, setUnauthorizedHandler } from './api.js';
import { $, el, fmtTime, busy, toast } from './common.js';

setUnauthorizedHandler(() => {});

function ratingBox(r, t) {
  if (r.satisfaction) {
    const c = (r.rating && r.rating.choices || []).find((x) => x.value === r.satisfaction);
    return el('p#status-rated', '您的评价：', el('strong', c ? c.label : ''), '，感谢您的反馈。');
  }
  if (!r.can_rate || !r.rating) return '';
  const form = el('form#rate.card', { 'aria-labelledby': 'rate-title', novalidate: true },
    el('h3#rate-title', r.rating.label),
    el('div.row', ...r.rating.choices.map((c) => el('label.row', { style: 'font-weight:normal;min-height:48px' },
      el('input', { type: 'radio', name: 'satisfaction', value: c.value, required: true, style: 'width:auto;min-height:0' }), ' ', c.label))),
    el('label', { for: 'rate-comment' }, '意见建议（选填）'),
    el('textarea#rate-comment', { rows: 2, maxlength: 200, 'data-field': 'comment' }),
    el('p#rate-error.error-text', { role: 'alert' }),
    el('button#rate-submit.big', { type: 'submit' }, '提交评价'));
  form.addEventListener('submit', async (x) => {
    x.preventDefault();
    const v = form.querySelector('input[name=satisfaction]:checked');
    if (!v) { $('#rate-error').textContent = '请选择满意程度'; return; }
    await busy($('#rate-submit'), async () => {
      try {
        await api(`/api/v1/public/reports/${encodeURIComponent(t)}/rating`, {
          method: 'POST', body: { satisfaction: v.value, comment: $('#rate-comment').value.trim() || undefined } });
      } catch (e) { $('#rate-error').textContent = e.message; throw e; }
      toast('评价已提交，谢谢！', 'ok');
      await show(t);
    }, { quiet: true });
  });
  return form;
}

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
  const steps = r.steps || [];
  out.replaceChildren(el('div.card',
    el('p', '查询码 ', el('strong#status-tracking', r.tracking || t)),
    el('p', '当前状态：', el('strong#status-state', r.state_label || '')),
    r.category ? el('p', '问题类型：', r.category) : '',
    r.agency ? el('p#status-agency', '办理单位：', r.agency) : '',
    r.status_note ? el('p', r.status_note) : '',
    r.expected_at && r.open !== false ? el('p#status-expected', '预计办结：', fmtTime(r.expected_at)) : '',
    el('h3', '办理进度'),
    el('ol.timeline#status-steps', steps.map((s) => el('li', el('div.when', fmtTime(s.at)), el('div', s.label))))),
  ratingBox(r, t));
  document.body.dataset.ready = 'true';
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
