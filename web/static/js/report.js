// The residents' report form (扫码上报), opened from a poster's QR code: no login, bound to the
// grid or community in the URL (?region=CODE); after sending it shows the tracking number and
// links to the public status page.
import { api, setUnauthorizedHandler } from './api.js';
import { $, el, busy } from './common.js';

setUnauthorizedHandler(() => {});
const region = new URLSearchParams(location.search).get('region');

async function loadPlace() {
  if (!region) { $('#place').textContent = '请扫描张贴在小区、楼栋或路口的二维码进入本页面。'; return false; }
  try {
    const r = await api(`/api/v1/regions/${encodeURIComponent(region)}`);
    $('#place').textContent = `上报地点：${r.name}`;
    if (r.level === 'community') {
      const g = await api(`/api/v1/regions?parent=${encodeURIComponent(region)}&level=grid&limit=500`);
      for (const x of g.items || []) $('#c-grid').append(el('option', { value: x.code }, x.name));
      $('#grid-box').hidden = false;
    }
    return true;
  } catch {
    $('#place').textContent = '二维码无效或已过期，请联系社区。';
    return false;
  }
}

async function loadCategories() {
  let list = [];
  try {
    const r = await api('/api/v1/public/categories');
    list = Array.isArray(r) ? r : r.items || [];
  } catch {
    try { const r = await api('/api/v1/categories'); list = Array.isArray(r) ? r : r.items || []; } catch { /* below */ }
  }
  const sel = $('#c-category');
  for (const c of list) sel.append(el('option', { value: c.code || c.service_code }, c.name || c.service_name));
  sel.append(el('option', { value: 'other' }, '其他问题'));
}

function done(tracking) {
  const url = `/report/status.html?t=${encodeURIComponent(tracking)}`;
  $('main').replaceChildren(el('div.card',
    el('h2', '提交成功，谢谢您！'),
    el('p', '您的查询码：'), el('p.tracking#tracking', tracking),
    el('p.hint', '请截图或记下查询码，凭它查看办理进度。'),
    el('p', el('a', { href: url, id: 'status-link' }, '查看办理进度 →'))));
  $('#status-link').focus();
}

$('#report-form').addEventListener('submit', async (x) => {
  x.preventDefault();
  const out = $('#c-error');
  out.textContent = '';
  const category = $('#c-category').value;
  const description = $('#c-description').value.trim();
  if (!category) { out.textContent = '请选择问题类型'; $('#c-category').focus(); return; }
  if (description.length < 5) { out.textContent = '请把问题描述清楚（至少 5 个字）'; $('#c-description').focus(); return; }
  const contact = $('#c-contact').value.trim();
  if (contact && !/^[0-9+\- ]{5,20}$/.test(contact)) { out.textContent = '电话号码格式不对'; $('#c-contact').focus(); return; }
  await busy($('#c-submit'), async () => {
    const body = {
      region: $('#c-grid').value || region, grid: $('#c-grid').value || region,
      category: category === 'other' ? undefined : category, description,
      title: description.slice(0, 30), address: $('#c-address').value.trim() || undefined,
      contact: contact || undefined, reporter_contact: contact || undefined,
    };
    try {
      const r = await api('/api/v1/public/reports', { method: 'POST', body });
      done(r.tracking || r.tracking_number || r.token || r.service_request_id);
    } catch (e) {
      out.textContent = e.message;
      throw e;
    }
  });
});

loadPlace().then((ok) => { if (!ok) $('#c-submit').disabled = true; });
loadCategories();
