// The command center's editor of the river segments and their chiefs (河长名录), shown in the
// 河长制巡河 panel to those the server says may keep it (may_manage): a segment's name, river,
// water section, target class, buffer and shoreline works; its chiefs appointed, changed and
// relieved (离任); a new segment from its GeoJSON line. The level choices and their patrol rule
// come from the server's report; every save answers the report, from which the editor redraws.
import { el, toast, busy } from './common.js';

const ROMAN = ['', 'Ⅰ', 'Ⅱ', 'Ⅲ', 'Ⅳ', 'Ⅴ'];

function field(label, input) {
  return el('label.patrol-field', el('span', label), input);
}

function classSelect(id, value) {
  return el('select', { id }, ...[1, 2, 3, 4, 5].map((c) => el('option', { value: String(c), selected: c === value }, `${ROMAN[c]}类`)));
}

function levelSelect(levels, value, attrs = {}) {
  return el('select', attrs, ...levels.map((l) => el('option', { value: l.level, selected: l.level === value }, `${l.label}（每${l.window_label}${l.times}次）`)));
}

async function send(api, button, method, path, body) {
  return busy(button, () => api(path, { method, body }));
}

// Draw the editor of report rep into box; onChange(rep) after each accepted save.
export function editSegment(api, box, rep, onChange) {
  const s = rep.segment;
  const redraw = (r) => { editSegment(api, box, r, onChange); onChange(r); };
  const form = el('form#patrol-seg-form.card',
    el('h3', `维护岸段：${s.name}（${s.code}）`),
    field('岸段名称', el('input#pe-name', { value: s.name, maxlength: 95, required: true })),
    field('河流名称', el('input#pe-river', { value: s.river_name, maxlength: 63, required: true })),
    field('水质断面编码', el('input#pe-station', { value: s.station, maxlength: 31 })),
    field('水质目标', classSelect('pe-class', s.target_class)),
    field('巡河覆盖范围（米）', el('input#pe-buffer', { type: 'number', min: 5, max: 500, step: 1, value: s.buffer_m })),
    field('岸线工程（每行一项）', el('textarea#pe-works', { rows: 3 }, s.works.join('\n'))),
    el('button#pe-save', { type: 'submit' }, '保存岸段'));
  form.addEventListener('submit', async (x) => {
    x.preventDefault();
    const r = await send(api, form.querySelector('#pe-save'), 'PATCH', `/api/v1/patrol/segments/${encodeURIComponent(s.code)}`, {
      name: form.querySelector('#pe-name').value,
      river_name: form.querySelector('#pe-river').value,
      station: form.querySelector('#pe-station').value,
      target_class: Number(form.querySelector('#pe-class').value),
      buffer_m: Number(form.querySelector('#pe-buffer').value),
      works: form.querySelector('#pe-works').value.split('\n').map((w) => w.trim()).filter(Boolean),
    });
    if (r) { toast('岸段已保存'); redraw(r); }
  });

  // a chief's stacked fields (c: the chief, or null for a new one) and how to read them
  const chiefFields = (c, idp) => {
    const f = el('div.patrol-chief-fields',
      field('层级', levelSelect(rep.levels, c ? c.level : 'community', { id: `${idp}-level` })),
      field('姓名', el('input', { id: `${idp}-name`, value: c ? c.name : '', maxlength: 63 })),
      field('职务', el('input', { id: `${idp}-title`, value: c ? c.title : '', maxlength: 255 })),
      field('区域编码', el('input', { id: `${idp}-region`, value: c ? c.region : '', maxlength: 23 })),
      field('账号（可空：其巡河不计为河长巡河）', el('input', { id: `${idp}-user`, value: c ? c.username || '' : '', maxlength: 63 })));
    const read = () => Object.fromEntries(['level', 'name', 'title', 'region', 'user'].map((k) => [k === 'user' ? 'username' : k, f.querySelector(`#${idp}-${k}`).value]));
    return { f, read };
  };
  const chiefItem = (c) => {
    const li = el('li.patrol-chief', { dataset: { chief: String(c.id) } });
    const summary = () => {
      li.replaceChildren(
        el('span', `${c.level_label} ${c.name}`, c.title ? ` · ${c.title}` : '', c.username ? `（账号 ${c.username}）` : ''), ' ',
        el('span.patrol-chief-actions',
          el('button.pc-edit.secondary', { type: 'button', onclick: edit }, '修改'), ' ',
          el('button.pc-end.secondary', { type: 'button', onclick: end }, '离任')));
    };
    async function edit() {
      const { f, read } = chiefFields(c, `pc${c.id}`);
      li.replaceChildren(f,
        el('button.pc-save', { type: 'button', onclick: async (x) => {
          const r = await send(api, x.currentTarget, 'PATCH', `/api/v1/patrol/chiefs/${c.id}`, read());
          if (r) { toast('河长信息已保存'); redraw(r); }
        } }, '保存'), ' ',
        el('button.secondary', { type: 'button', onclick: summary }, '取消'));
    }
    async function end(x) {
      if (!confirm(`确认 ${c.name} 离任？其巡河记录保留。`)) return;
      const r = await send(api, x.currentTarget, 'DELETE', `/api/v1/patrol/chiefs/${c.id}`);
      if (r) { toast(`${c.name} 已离任`); redraw(r); }
    }
    summary();
    return li;
  };
  const added = chiefFields(null, 'pn');
  const chiefs = el('div.card',
    el('h3', '河长'),
    el('ul#patrol-chiefs', rep.chiefs.map(chiefItem)),
    el('details#pc-new', el('summary', '任命河长'), added.f,
      el('button#pn-add', { type: 'button', onclick: async (x) => {
        const r = await send(api, x.currentTarget, 'POST', `/api/v1/patrol/segments/${encodeURIComponent(s.code)}/chiefs`, added.read());
        if (r) { toast('河长已任命'); redraw(r); }
      } }, '任命')),
    el('p.hint', '绑定账号后，该账号对本岸段的巡河计为该河长的巡河。'));
  box.replaceChildren(form, chiefs, el('button#pe-close.secondary', { type: 'button', onclick: () => box.replaceChildren() }, '关闭'));
}

// The form for a new segment; onAdded(rep) once the server has it.
export function newSegment(api, box, onAdded) {
  const form = el('form#patrol-new-form.card',
    el('h3', '新增岸段'),
    field('岸段编码', el('input#pn-code', { maxlength: 31, required: true, placeholder: '如 CJ-YZ-2' })),
    field('河流编码', el('input#pn-rcode', { maxlength: 31, required: true, placeholder: '如 CJ' })),
    field('河流名称', el('input#pn-rname', { maxlength: 63, required: true })),
    field('岸段名称', el('input#pn-sname', { maxlength: 95, required: true })),
    field('水质断面编码', el('input#pn-station', { maxlength: 31 })),
    field('水质目标', classSelect('pn-class', 2)),
    field('岸段线（GeoJSON LineString，WGS84）', el('textarea#pn-geom', { rows: 4, required: true })),
    field('或读入文件', el('input#pn-file', { type: 'file', accept: '.geojson,.json,application/geo+json' })),
    el('button#pn-save', { type: 'submit' }, '新增'));
  form.querySelector('#pn-file').addEventListener('change', async (x) => {
    const f = x.currentTarget.files[0];
    if (f) form.querySelector('#pn-geom').value = await f.text();
  });
  form.addEventListener('submit', async (x) => {
    x.preventDefault();
    let geometry;
    try { geometry = JSON.parse(form.querySelector('#pn-geom').value); } catch { toast('岸段线不是有效的 GeoJSON', 'error'); return; }
    if (geometry && geometry.type === 'Feature') geometry = geometry.geometry;
    const v = (id) => form.querySelector(id).value;
    const r = await send(api, form.querySelector('#pn-save'), 'POST', '/api/v1/patrol/segments', {
      code: v('#pn-code'), river: v('#pn-rcode'), river_name: v('#pn-rname'), name: v('#pn-sname'),
      station: v('#pn-station'), target_class: Number(v('#pn-class')), geometry,
    });
    if (r) { toast(`岸段 ${r.segment.name} 已新增，经过 ${r.grids.length} 个网格`); onAdded(r); }
  });
  box.replaceChildren(form, el('button#pe-close.secondary', { type: 'button', onclick: () => box.replaceChildren() }, '关闭'));
}
