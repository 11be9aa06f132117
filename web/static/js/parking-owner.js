// The lot owner's page (共享车位 · 业主发布): with the owner key the center issued (typed in, or
// from a link ending in #key=…), the owner sees the lot's share plans and the coming week's
// bookings, publishes a plan, edits one and withdraws one. The server decides every rule (an
// edit that would break a booking already made is refused, naming the field); this page shows
// its words. The key stays in this browser (localStorage) until 退出.
import { api, setUnauthorizedHandler } from './api.js';
import { $, el, busy } from './common.js';

setUnauthorizedHandler(() => {});
const KEY = 'zhizhi.parking.owner';
const DAYS = { daily: '每天', workday: '工作日', restday: '休息日' };
let key = null;

const headers = () => ({ 'X-Owner-Key': key });
const yuan = (fen) => `${(fen / 100).toFixed(fen % 100 ? 2 : 0)} 元/小时`;
const hhmm = (iso) => iso.slice(5, 16).replace('T', ' ');
// "workday 19:00-08:00" → "工作日 19:00–次日 08:00"
function windowsText(spec) {
  return spec.split(',').map((w) => {
    const [d, t] = w.trim().split(' ');
    const [a, b] = (t || '').split('-');
    const next = b && b !== '24:00' && b <= a ? '次日 ' : '';
    return `${DAYS[d] || d} ${a}–${next}${b}`;
  }).join('，');
}

function planCard(p, reload) {
  const msg = el('p.error-text', { role: 'alert' });
  const spaces = el('input', { type: 'number', min: 1, value: p.spaces, 'aria-label': '共享车位数' });
  const windows = el('input', { value: p.windows, spellcheck: 'false', 'aria-label': '共享时段' });
  const price = el('input', { type: 'number', min: 0, step: '0.5', value: p.price_fen / 100, 'aria-label': '每小时价格（元）' });
  const save = el('button.o-save', { type: 'submit' }, '保存修改');
  const edit = el('form.o-edit', { novalidate: true, hidden: true },
    el('label', '共享车位数', spaces), el('label', '共享时段', windows), el('label', '每小时价格（元）', price), save);
  const editBtn = el('button.secondary.o-edit-go', { type: 'button' }, '修改');
  const withdrawBtn = el('button.secondary.o-withdraw', { type: 'button' }, '撤回');
  const card = el('article.card.o-plan', { dataset: { plan: p.id } },
    el('div.row', el('strong', `${p.spaces} 个车位`), el('span.pill.green', p.audience === 'public' ? '对公众开放' : (p.audience_label || '指定车辆'))),
    el('p', windowsText(p.windows)),
    el('p.hint', `${yuan(p.price_fen)} · 未来 7 天已有 ${p.upcoming} 个预约`),
    el('p.actions', editBtn, withdrawBtn), edit, msg);
  editBtn.addEventListener('click', () => { edit.hidden = !edit.hidden; });
  edit.addEventListener('submit', async (x) => {
    x.preventDefault();
    msg.textContent = '';
    await busy(save, async () => {
      try {
        await api(`/api/v1/parking/owner/plans/${p.id}`, { method: 'PATCH', headers: headers(),
          body: { spaces: Number(spaces.value), windows: windows.value, price_fen: Math.round(Number(price.value) * 100) } });
        await reload('已保存修改');
      } catch (e) { msg.textContent = e.message; }
    });
  });
  withdrawBtn.addEventListener('click', async () => {
    if (!confirm('撤回后不再接受新的预约，已有的预约照常有效。确定撤回？')) return;
    msg.textContent = '';
    await busy(withdrawBtn, async () => {
      try {
        const r = await api(`/api/v1/parking/owner/plans/${p.id}`, { method: 'DELETE', headers: headers() });
        await reload(`已撤回；已有的 ${r.bookings_kept} 个预约照常有效`);
      } catch (e) { msg.textContent = e.message; }
    });
  });
  return card;
}

async function load(note) {
  const lot = await api('/api/v1/parking/owner', { headers: headers() });
  $('#o-enter').hidden = true;
  $('#o-lot').hidden = false;
  $('#o-lot-name').textContent = lot.name;
  $('#o-lot-info').textContent = `${lot.kind_label} · 共 ${lot.capacity} 个车位 · 入口：${lot.entrance || '—'}${lot.owner ? ` · ${lot.owner}` : ''}`;
  const shared = lot.plans.reduce((n, p) => n + p.spaces, 0);
  $('#o-spaces').max = String(lot.capacity - shared);
  $('#o-plans').replaceChildren(
    ...(note ? [el('p.card#o-note', { role: 'status' }, note)] : []),
    ...(lot.plans.length ? lot.plans.map((p) => planCard(p, load)) : [el('p.hint', '尚未发布共享时段。')]),
    el('p.hint', `已共享 ${shared} 个车位，还可共享 ${lot.capacity - shared} 个。`));
  const coming = lot.bookings.filter((b) => b.status !== 'cancelled');
  $('#o-bookings').replaceChildren(coming.length
    ? el('ul.o-bookings', coming.map((b) => el('li', `${hhmm(b.from)}–${hhmm(b.to).slice(6)} · ${b.plate} · ${b.status_label}`)))
    : el('p.hint', '暂无预约。'));
}

async function enter(x) {
  x?.preventDefault();
  $('#o-enter-error').textContent = '';
  key = $('#o-key').value.trim();
  await busy($('#o-enter-go'), async () => {
    try {
      await load();
      localStorage.setItem(KEY, key);
    } catch (e) {
      key = null;
      $('#o-enter-error').textContent = e.message;
    }
  });
}

async function publish(x) {
  x.preventDefault();
  $('#o-publish-error').textContent = '';
  await busy($('#o-publish-go'), async () => {
    try {
      const r = await api('/api/v1/parking/owner/plans', { method: 'POST', headers: headers(),
        body: { spaces: Number($('#o-spaces').value), windows: $('#o-windows').value, price_fen: Math.round(Number($('#o-price').value) * 100) } });
      await load(`已发布：${r.spaces} 个车位，${windowsText(r.windows)}`);
    } catch (e) { $('#o-publish-error').textContent = e.message; }
  });
}

function leave() {
  localStorage.removeItem(KEY);
  key = null;
  $('#o-key').value = '';
  $('#o-lot').hidden = true;
  $('#o-enter').hidden = false;
}

async function start() {
  $('#o-enter').addEventListener('submit', enter);
  $('#o-publish').addEventListener('submit', publish);
  $('#o-leave').addEventListener('click', leave);
  $('#o-preset').addEventListener('change', () => { if ($('#o-preset').value) $('#o-windows').value = $('#o-preset').value; });
  // a link from the center: /report/parking-owner.html#key=zpo_…, kept and taken off the address
  const m = location.hash.match(/key=(zpo_[A-Za-z0-9_-]+)/);
  if (m) { localStorage.setItem(KEY, m[1]); history.replaceState(null, '', location.pathname); }
  key = localStorage.getItem(KEY);
  if (key) {
    try { await load(); } catch { leave(); }
  } else {
    $('#o-enter').hidden = false;
  }
  document.body.dataset.ready = 'true';
}

start();
