// A resident's 码上监督 report (issue 15 item 4), reached from a QR poster (?region=CODE): the
// problem in their words, anonymous unless they choose to give a name and phone; the answer is a
// tracking code, and the same page shows the progress the server tells for a code — the status
// in words and the day received, nothing about who handles it.
import { api, setUnauthorizedHandler } from './api.js';
import { $, el, busy } from './common.js';

setUnauthorizedHandler(() => {});

async function lookup(code) {
  const box = $('#sv-result');
  try {
    const r = await api(`/api/v1/public/supervision-reports/${encodeURIComponent(code)}`);
    box.replaceChildren(el('div.card#sv-status', el('p', '办理进度：', el('strong', r.status)), el('p.hint', `受理日期：${r.received_on}`)));
  } catch (e) {
    box.replaceChildren(el('p.error-text', e.status === 404 ? '没有找到该查询码，请核对后重试' : e.message));
  }
}

function start() {
  const region = new URLSearchParams(location.search).get('region') || undefined;
  $('#sv-named').addEventListener('change', () => { $('#sv-named-box').hidden = !$('#sv-named').checked; });
  $('#sv-form').addEventListener('submit', async (x) => {
    x.preventDefault();
    $('#sv-error').textContent = '';
    const summary = $('#sv-summary').value.trim();
    if (!summary) { $('#sv-error').textContent = '请填写反映的问题'; $('#sv-summary').focus(); return; }
    const named = $('#sv-named').checked;
    const body = { summary, region, anonymous: !named };
    if (named) {
      body.reporter_name = $('#sv-name').value.trim() || undefined;
      body.reporter_phone = $('#sv-phone').value.trim() || undefined;
    }
    await busy($('#sv-submit'), async () => {
      let r;
      try {
        r = await api('/api/v1/public/supervision-reports', { method: 'POST', body });
      } catch (e) {
        $('#sv-error').textContent = e.message;
        if (e.field) document.querySelector(`[data-field="${e.field}"]`)?.focus();
        throw e;
      }
      $('#sv-form').hidden = true;
      $('#sv-code').textContent = r.tracking_code;
      $('#sv-done').hidden = false;
      $('#sv-t').value = r.tracking_code;
    }, { quiet: true });
  });
  $('#sv-lookup').addEventListener('submit', (x) => {
    x.preventDefault();
    const t = $('#sv-t').value.trim().toUpperCase();
    if (t) lookup(t);
  });
  const t = new URLSearchParams(location.search).get('t');
  if (t) { $('#sv-t').value = t; lookup(t); }
  document.body.dataset.ready = 'true';
}

start();
