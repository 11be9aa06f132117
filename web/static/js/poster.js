// The printable QR-code poster for a grid or a community (?region=CODE); without a code it
// offers street → community → grid pickers. The QR SVG comes from the server (libqrencode).
import { api, setUnauthorizedHandler } from './api.js';
import { $, el } from './common.js';

setUnauthorizedHandler(() => {});

async function fill(sel, level, parent) {
  const first = sel.firstElementChild;
  sel.replaceChildren(first);
  if (!parent && level !== 'street') return;
  const q = new URLSearchParams({ level, limit: '500' });
  if (parent) q.set('parent', parent);
  const r = await api('/api/v1/regions?' + q);
  for (const x of r.items || []) sel.append(el('option', { value: x.code }, x.name));
}

async function showPoster(code) {
  const r = await api(`/api/v1/regions/${encodeURIComponent(code)}`);
  const names = [r.name];
  for (let p = r.parent; p && names.length < 3; ) {
    const up = await api(`/api/v1/regions/${encodeURIComponent(p)}`);
    if (up.level === 'district') break;
    names.unshift(up.name);
    p = up.parent;
  }
  $('#sheet-place').textContent = names.join(' · ');
  $('#sheet-qr').src = `/api/v1/regions/${encodeURIComponent(code)}/qr.svg`;
  $('#sheet-qr').alt = `${r.name}扫码上报二维码`;
  $('#sheet-url').textContent = `${location.origin}/report/?region=${code}`;
  $('#sheet').hidden = false;
  document.title = `扫码上报海报 · ${r.name}`;
}

// The QR code encodes the address this page was opened at (the server has no setting for it):
// printed from a loopback address, it would send residents' phones nowhere.
function warnLoopback() {
  const h = location.hostname;
  if (!(h === 'localhost' || h.endsWith('.localhost') || h.startsWith('127.') || h === '[::1]')) return;
  $('#host-warning').textContent = `注意：本页通过本机地址 ${location.host} 打开，二维码也指向它，居民手机无法访问。`
    + '请用居民可访问的地址（如政务外网域名）打开本页后再打印。';
  $('#host-warning').hidden = false;
}

const street = $('#p-street'), community = $('#p-community'), grid = $('#p-grid');
street.addEventListener('change', () => { fill(community, 'community', street.value); fill(grid, 'grid', ''); });
community.addEventListener('change', () => fill(grid, 'grid', community.value));
$('#p-print').addEventListener('click', () => window.print());
$('#pick').addEventListener('submit', (x) => {
  x.preventDefault();
  const code = grid.value || community.value;
  if (!code) return;
  history.replaceState(null, '', `?region=${code}`);
  showPoster(code).catch(() => {});
});

warnLoopback();
// ?region= preselects its street, community and grid in the pickers.
async function preselect(code) {
  const chain = [];
  for (let c = code; c && chain.length < 4;) {
    const r = await api(`/api/v1/regions/${encodeURIComponent(c)}`);
    if (r.level === 'district' || r.level === 'city') break;
    chain.unshift(r);
    c = r.parent;
  }
  const at = (level) => chain.find((r) => r.level === level);
  if (at('street')) { street.value = at('street').code; await fill(community, 'community', street.value); }
  if (at('community')) { community.value = at('community').code; await fill(grid, 'grid', community.value); }
  if (at('grid')) grid.value = at('grid').code;
}

const code = new URLSearchParams(location.search).get('region');
const streets = fill(street, 'street').catch(() => {});
if (code) streets.then(() => preselect(code)).catch(() => {}).then(() => showPoster(code)).then(() => { document.body.dataset.ready = 'true'; }, () => {
  $('#sheet').hidden = false;
  $('#sheet-place').textContent = '找不到该网格或社区';
});
