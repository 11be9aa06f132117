// 找写字楼 (issue 16), the enterprises' phone page, no login: the buildings with vacant office
// space as the server finds them (GET /api/v1/buildings/space: vacant area at the last year's
// end, grade, zone, the industries of the tenants), and the 入驻意向 form for one building
// (POST /api/v1/buildings/space/inquiries). The server checks every field — the 统一社会信用代码
// by its GB 32100 check character — and a refused field is shown under itself.
import { api, setUnauthorizedHandler } from './api.js';
import { $, el, busy } from './common.js';

setUnauthorizedHandler(() => {});
const num = (v) => Number(v).toLocaleString('zh-CN', { maximumFractionDigits: 0 });
const pct = (v) => `${(v * 100).toFixed(0)}%`;
let chosen = null; // the building the form is for

function clearErrors() {
  $('#q-error').textContent = '';
  for (const x of document.querySelectorAll('[aria-invalid]')) x.removeAttribute('aria-invalid');
  for (const x of document.querySelectorAll('.field-error')) x.remove();
}

// A problem naming a field is shown under that field (the names are the API's).
function showProblem(e, fallback) {
  const input = e.field && document.querySelector(`#s-inquiry [data-field="${e.field}"]`);
  if (input) {
    input.setAttribute('aria-invalid', 'true');
    input.after(el('p.field-error', { role: 'alert', dataset: { for: e.field } }, e.message));
    input.focus();
  } else {
    fallback.textContent = e.message || String(e);
  }
}

function card(b) {
  const mix = b.industries.length
    ? b.industries.map((i) => `${i.name} ${pct(i.share)}`).join('、') : '暂无在租企业';
  return el('article.card.space-result', { dataset: { code: b.code } },
    el('div.row', el('strong', b.name), el('span.hint', `${b.building_grade}${b.tier_name ? ` · ${b.tier_name}` : ''}`)),
    el('p', { dataset: { k: 'vacant' } }, `可租 ${num(b.vacant_m2)} m²`,
      el('span.hint', ` · 出租率 ${pct(b.occupancy)} · ${b.floors ? `${b.floors} 层 · ` : ''}${b.zone_name}`)),
    el('p.hint', b.address),
    el('p.hint', { dataset: { k: 'mix' } }, `在租企业 ${b.tenants} 家：${mix}`),
    el('button', { type: 'button', onclick: () => openForm(b) }, '我要入驻'));
}

async function search() {
  $('#s-error').textContent = '';
  const q = new URLSearchParams();
  for (const [k, id] of [['zone', '#s-zone'], ['grade', '#s-grade'], ['min_m2', '#s-area'], ['industry', '#s-industry']]) {
    if ($(id).value) q.set(k, $(id).value);
  }
  try {
    const r = await api(`/api/v1/buildings/space?${q}`);
    $('#s-asof').textContent = `空置面积按 ${r.as_of} 的租赁登记计算${r.synthetic ? '；演示数据（合成）' : ''}`;
    $('#s-count').textContent = r.items.length ? `找到 ${r.items.length} 栋楼宇` : '没有符合条件的楼宇，可放宽条件再试';
    const more = r.items.length > 30 ? el('button.secondary#s-more', {
      type: 'button', onclick: () => $('#s-results').replaceChildren(...r.items.map(card)),
    }, `显示全部 ${r.items.length} 栋`) : '';
    $('#s-results').replaceChildren(...r.items.slice(0, 30).map(card), more);
    return r;
  } catch (e) {
    $('#s-error').textContent = e.message;
    return null;
  }
}

function openForm(b) {
  chosen = b;
  clearErrors();
  $('#s-form-title').textContent = `入驻意向 · ${b.name}`;
  $('#q-area').value = $('#s-area').value || '';
  if ($('#s-industry').value) $('#q-industry').value = $('#s-industry').value;
  $('#s-inquiry').hidden = false;
  $('#q-done').hidden = true;
  $('#s-form').hidden = false;
  $('#s-find').hidden = true;
  $('#s-results').hidden = true;
  $('#q-name').focus();
}

function closeForm() {
  $('#s-form').hidden = true;
  $('#s-find').hidden = false;
  $('#s-results').hidden = false;
}

async function submit() {
  clearErrors();
  const body = {
    building: chosen.code,
    enterprise_name: $('#q-name').value.trim(),
    uscc: $('#q-uscc').value.trim().toUpperCase() || null,
    industry: $('#q-industry').value || null,
    area_m2: $('#q-area').value === '' ? null : Number($('#q-area').value),
    contact: $('#q-contact').value.trim(),
    phone: $('#q-phone').value.replace(/\s/g, ''),
    note: $('#q-note').value.trim() || null,
  };
  try {
    const r = await api('/api/v1/buildings/space/inquiries', { method: 'POST', body });
    $('#s-inquiry').hidden = true;
    $('#q-done').hidden = false;
    $('#q-receipt').textContent = `入驻意向已提交（编号 ${r.id}）`;
    $('#q-receipt-hint').textContent = `${chosen.name}：${r.status_label}。`;
  } catch (e) {
    showProblem(e, $('#q-error'));
  }
}

async function start() {
  const r = await search();
  if (r) {
    for (const z of r.zones) $('#s-zone').append(el('option', { value: z.code }, z.name));
    for (const s of r.sections) {
      $('#s-industry').append(el('option', { value: s.code }, s.name));
      $('#q-industry').append(el('option', { value: s.code }, s.name));
    }
  }
  $('#s-find').addEventListener('submit', (e) => { e.preventDefault(); busy($('#s-search'), search); });
  $('#s-inquiry').addEventListener('submit', (e) => { e.preventDefault(); busy($('#q-submit'), submit); });
  $('#q-cancel').addEventListener('click', closeForm);
  $('#q-back').addEventListener('click', closeForm);
  document.body.dataset.ready = 'true';
}

start();
