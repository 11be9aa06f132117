// The residents' report form (扫码上报), opened from a poster's QR code: no login, bound to the
// grid or community in the URL (?region=CODE). Everything it offers comes from the server's
// GET /api/v1/public/report-form: about ten plain groups of classes plus 其他, the emergencies
// that are called in (119 / 110 / 120) rather than filed, the photo limit and the field names
// the server reports problems under (shown beside the field). Photos are shrunk on the phone and
// sent ahead of the report; after sending it shows the tracking number and the status link.
import { api, setUnauthorizedHandler, shrinkImage } from './api.js';
import { $, el, busy } from './common.js';

setUnauthorizedHandler(() => {});
const region = new URLSearchParams(location.search).get('region');
let place = {};
let form = { groups: [], emergencies: [], other: null, fields: [], photos: { max: 2 } };

async function loadPlace() {
  if (!region) { $('#place').textContent = '请扫描张贴在小区、楼栋或路口的二维码进入本页面。'; return false; }
  try {
    const r = await api(`/api/v1/regions/${encodeURIComponent(region)}`);
    place = r;
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

const tel = (phone, text) => el('a.tel', { href: `tel:${phone}` }, text || `拨打 ${phone}`);

async function loadForm() {
  try {
    form = await api('/api/v1/public/report-form');
  } catch { $('#c-error').textContent = '问题类型加载失败，请稍后刷新重试'; return; }
  $('#em-list').replaceChildren(...form.emergencies.map((x) => el('li', x.label, '：', tel(x.phone, x.phone))));
  const sel = $('#c-group');
  sel.append(
    el('optgroup', { label: '日常问题' }, ...form.groups.map((g) => el('option', { value: 'g:' + g.key }, g.label)),
      form.other ? el('option', { value: 'other' }, form.other.label) : ''),
    el('optgroup', { label: '紧急情况（请直接拨打电话）' }, ...form.emergencies.map((x) => el('option', { value: 'e:' + x.key }, x.label))));
  $('#c-photo-hint').textContent = `（选填，最多 ${form.photos.max} 张）`;
  for (const f of form.fields) {
    const input = document.querySelector(`[data-field="${f.name}"]`);
    if (input && f.max && input.tagName !== 'SELECT' && input.type !== 'file') input.maxLength = f.max;
  }
}

function chooseGroup() {
  const v = $('#c-group').value;
  const g = v.startsWith('g:') ? form.groups.find((x) => x.key === v.slice(2)) : null;
  const em = v.startsWith('e:') ? form.emergencies.find((x) => x.key === v.slice(2)) : null;
  $('#c-group-hint').textContent = g ? `如：${g.hint}` : v === 'other' ? '不确定类型时选此项，由工作人员分类' : '';
  const box = $('#c-emergency');
  box.hidden = !em;
  box.replaceChildren(...(em ? [el('p', em.notice), tel(em.phone, `立即拨打 ${em.phone}`)] : []));
  // An emergency is called in, not filed.
  $('#c-details').hidden = !!em;
  $('#c-submit').hidden = !!em;
  const cats = g ? g.categories : [];
  $('#c-category-box').hidden = cats.length < 2;
  $('#c-category').replaceChildren(...cats.map((c) => el('option', { value: c.code }, c.name)));
  clearErrors();
}

function clearErrors() {
  $('#c-error').textContent = '';
  for (const x of document.querySelectorAll('[aria-invalid]')) x.removeAttribute('aria-invalid');
  for (const x of document.querySelectorAll('.field-error')) x.remove();
}

// A problem naming a field is shown under that field (the names are the API's).
function showError(field, message) {
  const input = field && document.querySelector(`[data-field="${field}"]`);
  if (input && !input.closest('[hidden]')) {
    input.setAttribute('aria-invalid', 'true');
    input.after(el('p.field-error', { role: 'alert', dataset: { for: field } }, message));
    input.focus();
  } else {
    $('#c-error').textContent = message;
  }
}

$('#c-photo').addEventListener('change', () => {
  const files = [...$('#c-photo').files];
  $('#c-preview').replaceChildren(...files.map((f) => el('img', { src: URL.createObjectURL(f), alt: '待上传照片' })));
  clearErrors();
  if (files.length > form.photos.max) showError('photos', `最多上传 ${form.photos.max} 张照片`);
});

function done(tracking) {
  const url = `/report/status.html?t=${encodeURIComponent(tracking)}`;
  $('main').replaceChildren(el('div.card',
    el('h2', '提交成功，谢谢您！'),
    el('p', '您的查询码：'), el('p.tracking#tracking', tracking),
    el('p.hint', '请截图或记下查询码，凭它查看办理进度。'),
    el('p', el('a', { href: url, id: 'status-link' }, '查看办理进度 →'))));
  $('#status-link').focus();
}

function categoryCode() {
  const v = $('#c-group').value;
  if (v === 'other') return form.other && form.other.code;
  if (v.startsWith('g:')) return $('#c-category').value || null;
  return null;
}

$('#report-form').addEventListener('submit', async (x) => {
  x.preventDefault();
  clearErrors();
  const category = categoryCode();
  const description = $('#c-description').value.trim();
  const files = [...$('#c-photo').files];
  if (!category) { showError('category', '请选择问题类型'); return; }
  if (!description) { showError('description', '请填写问题描述'); return; }
  if (files.length > form.photos.max) { showError('photos', `最多上传 ${form.photos.max} 张照片`); return; }
  const contact = $('#c-contact').value.trim();
  await busy($('#c-submit'), async () => {
    const grid = $('#c-grid').value || (place.level === 'grid' ? place.code : null);
    const body = {
      category, description, title: description.slice(0, 30),
      address: $('#c-address').value.trim() || undefined, phone: contact || undefined,
    };
    // A community poster without a chosen grid: the community's centre locates the report.
    if (grid) body.grid = grid;
    else if (place.center) [body.lon, body.lat] = place.center;
    try {
      const photos = [];
      for (const f of files) {
        const r = await api('/api/v1/public/photos', { method: 'POST', body: await shrinkImage(f) });
        photos.push(r.photo);
      }
      if (photos.length) body.photos = photos;
      // One key per submission: a retry after a lost answer does not file it twice.
      const key = crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random();
      const r = await api('/api/v1/public/reports', { method: 'POST', body, headers: { 'Idempotency-Key': key } });
      done(r.tracking);
    } catch (e) {
      showError(e.field === 'title' ? 'description' : e.field, e.message);
      throw Object.assign(e, { shown: true });
    }
  }, { quiet: true });
});

$('#c-group').addEventListener('change', chooseGroup);
Promise.all([loadPlace(), loadForm()]).then(([ok]) => {
  if (!ok) $('#c-submit').disabled = true;
  document.body.dataset.ready = 'true';
});
