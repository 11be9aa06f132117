// The residents' report form (扫码上报), opened from a poster's QR code: no login, bound to the
// grid or community in the URL (?region=CODE); after sending it shows the tracking number and
// links to the public status page.
import { api, setUnauthorizedHandler } from './api.js';
import { $, el, busy } from './common.js';

setUnauthorizedHandler(() => {});
const region = new URLSearchParams(location.search).get('region');
let place = {};

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

async function loadCategories() {
  let list = [];
  try {
    const r = await api('/api/v1/categories');
    list = Array.isArray(r) ? r : r.items || [];
  } catch { $('#c-error').textContent = '问题类型加载失败，请稍后刷新重试'; }
  const sel = $('#c-category');
  const groups = new Map();
  for (const c of list) {
    if (c.kind === 'sensor') continue;
    const g = c.major || '其他';
    if (!groups.has(g)) groups.set(g, el('optgroup', { label: g }));
    groups.get(g).append(el('option', { value: c.code }, c.name));
  }
  sel.append(...groups.values());
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
    const grid = $('#c-grid').value || (place.level === 'grid' ? place.code : null);
    const body = {
      category, description, title: description.slice(0, 30),
      address: $('#c-address').value.trim() || undefined, phone: contact || undefined,
    };
    // A community poster without a chosen grid: the community's centre locates the report.
    if (grid) body.grid = grid;
    else if (place.center) [body.lon, body.lat] = place.center;
    try {
      const r = await api('/api/v1/public/reports', { method: 'POST', body });
      done(r.tracking);
    } catch (e) {
      out.textContent = e.message;
      throw e;
    }
  });
});

loadPlace().then((ok) => { if (!ok) $('#c-submit').disabled = true; });
loadCategories();
