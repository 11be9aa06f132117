// The rectification ledger (整改台账, issue 15) in the command center, and the supervision clues
// (监督线索) for supervision roles. The 整改台账 panel shows the ledger as of a day beside the ledger
// of an earlier day (what was added, closed and reopened in between), 销号率 week by week, the
// figures by 责任单位, 来源 or 类别, the problems with their measures, and the downloads and the
// printable summary. Every figure, status and action with its form is the server's
// (GET /api/v1/ledger/figures, /trend, /problems, /problems/{id}); this file only draws them.
import { uploadPhoto } from './api.js';
import { esc } from './common.js';
import { actionForm } from './detail.js';

const pct = (v) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);
const PAGE = 20;

// An offered action's button; its form (the server's fields) opens below `after`, is posted to
// the action's own path, and `done()` redraws.
function actionButton(shell, a, after, done) {
  const { el, api, toast } = shell;
  return el('button', { type: 'button', dataset: { action: a.name }, onclick: () => {
    after.parentNode.querySelector('form.action-form')?.remove();
    const form = actionForm(a, {
      upload: async (files) => { const out = []; for (const f of files) out.push(await uploadPhoto(f)); return out; },
      submit: async (act, payload) => {
        await api(act.path, { method: 'POST', body: { ...(act.payload || {}), ...payload } });
        toast(`已${act.label}`);
        await done();
      },
    });
    after.after(form);
    form.querySelector('input,textarea,select')?.focus();
  } }, a.label);
}

function actionBar(shell, actions, done) {
  const box = shell.el('div.actions');
  for (const a of actions || []) box.append(actionButton(shell, a, box, done));
  return box;
}

// The import the server offers: a file, posted as it is; refused rows are listed by line.
function importForm(shell, a, done) {
  const { el, toast } = shell;
  const file = el('input', { type: 'file', accept: '.csv,text/csv', 'aria-label': a.fields[0].label, dataset: { field: 'file' } });
  const out = el('ul.error#ledger-import-errors', { role: 'alert' });
  const go = el('button', { type: 'button', dataset: { action: a.name } }, a.label);
  go.addEventListener('click', async () => {
    out.replaceChildren();
    if (!file.files.length) { out.append(el('li', `请选择${a.fields[0].label}`)); return; }
    let body;
    try {
      body = await shell.api(a.path, { method: 'POST', body: new Blob([file.files[0]], { type: a.content_type }) });
    } catch (e) {
      out.append(el('li', e.message), ...e.errors.map((x) => el('li', `第 ${x.line} 行 · ${x.field}：${x.detail}`)));
      return;
    }
    toast(`已导入 ${body.problems} 个问题、${body.measures} 项措施`);
    file.value = '';
    await done();
  });
  return el('p.actions', file, go, out);
}

function kpi(el, key, title, value, hint) {
  return el('div.kpi', { dataset: { k: key }, title: hint || '' }, el('div.k', title), el('div.v', value));
}

// One problem: its measures (with their evidence and actions), its marks, its events.
async function problemView(shell, id, box, redrawList) {
  const { el, api } = shell;
  const p = await api(`/api/v1/ledger/problems/${id}`);
  const redraw = async () => { await problemView(shell, id, box, redrawList); await redrawList(); };
  const measures = el('table.events#ledger-measures', el('thead', el('tr', ['措施', '责任人', '时限', '完成', '佐证', '审核', ''].map((h) => el('th', h)))),
    el('tbody', p.measures.map((m) => {
      const cell = el('td');
      const row = el('tr', { dataset: { measure: m.id }, class: m.overdue ? 'overdue' : '' },
        el('td', m.title), el('td', m.owner), el('td', m.deadline, m.overdue ? el('span.pill.red', ' 超期') : ''),
        el('td', m.done_on || '未完成'),
        el('td', m.evidence || '', m.files.map((f) => el('a', { href: f.url, target: '_blank', rel: 'noopener', style: 'margin-left:.4em' }, '照片')),
          m.events ? el('span.hint', ` 关联事件 ${m.events}`) : ''),
        el('td', m.approved_by ? `${m.approved_by} ${m.approved_on}` : '—'), cell);
      cell.append(actionBar(shell, m.actions, redraw));
      return row;
    })));
  const marks = p.marks.length
    ? el('ol.timeline', p.marks.map((k) => el('li', el('div.when', k.on_date, ' ', k.by), el('div', el('strong', k.kind === 'close' ? '销号' : '反弹'), k.reason ? `：${k.reason}` : ''))))
    : el('p.hint', '尚无销号记录');
  const events = [p.event ? el('button.secondary', { type: 'button', onclick: () => shell.openEvent(p.event) }, `来源事件 ${p.event}`) : '',
    ...p.events.map((c) => el('button.secondary', { type: 'button', dataset: { event: c }, onclick: () => shell.openEvent(c) }, `派发事件 ${c}`))];
  box.replaceChildren(el('div.card#ledger-problem', { dataset: { id: p.id, status: p.status } },
    el('h3', p.title, ' ', el('span.pill', p.status_label), p.synthetic ? el('span.hint', '（演示数据）') : ''),
    el('p.hint', `${p.source} · ${p.category} · 责任单位 ${p.department_name}${p.leader ? ` · 责任领导 ${p.leader}` : ''} · 整改时限 ${p.deadline} · 入账 ${p.created_on}`),
    actionBar(shell, p.actions, redraw),
    el('h4', '整改措施'), measures,
    el('h4', '销号与反弹'), marks,
    events.some(Boolean) ? el('div.actions', events) : ''));
}

export async function mount(shell) {
  const { el, api } = shell;

  shell.panel('ledger', async (body) => {
    const today = (await api('/api/v1/ledger/figures')).as_of;
    const state = { as_of: today, since: `${today.slice(0, 4)}-05-05`, group: 'department', status: '', shown: PAGE };
    if (state.since > today) state.since = `${Number(today.slice(0, 4)) - 1}-05-05`;
    const asOf = el('input#ledger-as-of', { type: 'date', value: state.as_of, max: today, 'aria-label': '截至日期' });
    const since = el('input#ledger-since', { type: 'date', value: state.since, max: today, 'aria-label': '对比日期' });
    const group = el('select#ledger-group', { 'aria-label': '分组' },
      [['department', '按责任单位'], ['source', '按来源'], ['category', '按类别']].map(([v, t]) => el('option', { value: v }, t)));
    const status = el('select#ledger-status', { 'aria-label': '状态' });
    const kpis = el('div.kpis#ledger-kpis');
    const changes = el('p#ledger-changes');
    const trend = el('div#ledger-trend', { style: 'height:180px', role: 'img', 'aria-label': '销号率走势' });
    const groups = el('div#ledger-groups');
    const list = el('div#ledger-list');
    const detail = el('div#ledger-detail');
    const downloads = el('p.actions#ledger-downloads');
    const importBox = el('div#ledger-import');
    body.append(
      el('div.actions', el('label', '截至 ', asOf), el('label', '对比 ', since), group),
      kpis, changes, trend, el('h3', '分组统计'), groups,
      el('h3', '问题清单 ', status), list, detail, downloads, importBox);

    async function drawFigures() {
      const f = await api(`/api/v1/ledger/figures?as_of=${state.as_of}&since=${state.since}&group_by=${state.group}`);
      const c = f.changes;
      kpis.replaceChildren(
        kpi(el, 'problems', '问题', f.problems), kpi(el, 'measures', '措施', f.measures),
        kpi(el, 'closed', '已销号', f.closed), kpi(el, 'closure_rate', '销号率', pct(f.closure_rate), '已销号问题 ÷ 当日台账问题'),
        kpi(el, 'overdue_measures', '超期措施', f.overdue_measures), kpi(el, 'reopened', '反弹', f.reopened),
        kpi(el, 'long_term', '长期坚持', f.long_term));
      changes.textContent = `${c.from} 至 ${c.to}：新增问题 ${c.problems_added} 个、措施 ${c.measures_added} 项，销号 ${c.closed} 次，反弹 ${c.reopened} 次；`
        + `${c.from} 台账 ${f.since.problems} 个问题、${f.since.measures} 项措施，销号率 ${pct(f.since.closure_rate)}。`;
      groups.replaceChildren(el('table.events#ledger-group-table',
        el('thead', el('tr', ['', '问题', '措施', '已销号', '销号率', '超期措施', '反弹'].map((h) => el('th', h)))),
        el('tbody', [...f.items, { key: '', label: '合计', ...f }].map((r) => el('tr', { dataset: { key: r.key } },
          el('td', r.label), el('td', r.problems), el('td', r.measures), el('td', r.closed), el('td', pct(r.closure_rate)),
          el('td', r.overdue_measures), el('td', r.reopened))))));
      downloads.replaceChildren(
        el('a', { href: `/api/v1/ledger/figures.csv?as_of=${state.as_of}&group_by=${state.group}`, download: `ledger-figures-${state.as_of}.csv` }, '下载统计 CSV'),
        el('a', { href: `/api/v1/ledger/problems.csv?as_of=${state.as_of}`, download: `ledger-${state.as_of}.csv` }, '下载台账 CSV'),
        el('a#ledger-print', { href: `/center/ledger-print.html?as_of=${state.as_of}&since=${state.since}&group_by=${state.group}`, target: '_blank' }, '打印一页汇总'));
    }

    async function drawTrend() {
      const t = await api(`/api/v1/ledger/trend?as_of=${state.as_of}`);
      trend.dataset.points = t.items.length;
      const echarts = window.echarts;
      if (!echarts) { trend.textContent = t.items.map((p) => `${p.date} ${pct(p.closure_rate)}`).join('，'); return; }
      const chart = echarts.getInstanceByDom(trend) || echarts.init(trend);
      chart.setOption({
        grid: { left: 40, right: 40, top: 20, bottom: 24 },
        tooltip: { trigger: 'axis' },
        xAxis: { type: 'category', data: t.items.map((p) => p.date.slice(5)) },
        yAxis: [{ type: 'value', max: 1, axisLabel: { formatter: (v) => esc(pct(v)) } }, { type: 'value' }],
        series: [
          { name: '销号率', type: 'line', data: t.items.map((p) => p.closure_rate), tooltip: { valueFormatter: pct } },
          { name: '问题数', type: 'bar', yAxisIndex: 1, data: t.items.map((p) => p.problems), itemStyle: { opacity: 0.35 } },
        ],
      });
    }

    async function drawList() {
      const q = `as_of=${state.as_of}${state.status ? `&status=${state.status}` : ''}`;
      const r = await api(`/api/v1/ledger/problems?${q}`);
      // The status filter offers the statuses the server reports on this day's ledger.
      const seen = new Map(r.items.map((p) => [p.status, p.status_label]));
      if (!state.status) status.replaceChildren(el('option', { value: '' }, '全部状态'), ...[...seen].map(([v, t]) => el('option', { value: v }, t)));
      importBox.replaceChildren(...(r.actions || []).filter((a) => a.name === 'import').map((a) => importForm(shell, a, afterAction)));
      const items = [...r.items].reverse();
      const rows = items.slice(0, state.shown).map((p) => el('tr', { tabindex: 0, dataset: { id: p.id, status: p.status },
        onclick: () => problemView(shell, p.id, detail, afterAction).catch((e) => shell.toast(e.message, 'error')),
        onkeydown: (e) => { if (e.key === 'Enter') e.currentTarget.click(); } },
      el('td', p.created_on), el('td', p.title), el('td', p.department_name), el('td', p.source),
      el('td', p.deadline, p.overdue ? el('span.pill.red', ' 超期') : ''), el('td', p.status_label)));
      list.replaceChildren(el('table.events#ledger-problems',
        el('thead', el('tr', ['入账', '问题', '责任单位', '来源', '时限', '状态'].map((h) => el('th', h)))), el('tbody', rows)),
      items.length > state.shown
        ? el('button.secondary#ledger-more', { type: 'button', onclick: () => { state.shown += PAGE; drawList(); } }, `显示更多（共 ${items.length} 个）`)
        : el('p.hint', `共 ${items.length} 个`));
    }

    // After an action on a problem: its figures, trend and list as they now stand.
    const afterAction = () => Promise.all([drawFigures(), drawTrend(), drawList()]);
    const redraw = async () => {
      state.shown = PAGE;
      await Promise.all([drawFigures(), drawTrend(), drawList()]);
    };
    asOf.addEventListener('change', () => { if (asOf.value) { state.as_of = asOf.value; redraw(); } });
    since.addEventListener('change', () => { if (since.value) { state.since = since.value; drawFigures(); } });
    group.addEventListener('change', () => { state.group = group.value; drawFigures(); });
    status.addEventListener('change', () => { state.status = status.value; state.shown = PAGE; drawList(); });
    await redraw();
  });

  shell.panel('supervision', async (body) => {
    const figures = el('div.kpis#supervision-kpis');
    const list = el('div#supervision-list');
    const detail = el('div#supervision-detail');
    body.append(el('p.hint', '监督线索仅监督人员可见；举报人信息只在线索详情中向监督员显示。'), figures, list, detail);
    async function open(id) {
      const c = await api(`/api/v1/supervision/clues/${id}`);
      detail.replaceChildren(el('div.card#supervision-clue', { dataset: { id: c.id, status: c.status } },
        el('h3', c.summary, ' ', el('span.pill', c.status)),
        el('p.hint', `${c.channel} · 受理 ${c.received_on}${c.decided_on ? ` · 处置 ${c.decided_on}` : ''}${c.concluded_on ? ` · 办结 ${c.concluded_on}` : ''}`
          + `${c.mechanism ? ` · 移送 ${c.mechanism}` : ''} · 信息共享 ${c.shares} 次`),
        c.reporter ? el('p', `举报人：${c.reporter.name} ${c.reporter.phone}`) : el('p.hint', c.anonymous ? '匿名举报' : ''),
        c.notice ? el('p', c.notice) : '',
        c.problems?.length ? el('p#supervision-problems', `已列入整改台账：${c.problems.map((n) => `问题 #${n}`).join('、')}`) : '',
        actionBar(shell, c.actions, async () => { await open(id); await draw(); })));
    }
    async function draw() {
      const [f, l] = await Promise.all([api('/api/v1/supervision/figures'), api('/api/v1/supervision/clues')]);
      figures.replaceChildren(
        kpi(el, 'received', '受理线索', f.received), kpi(el, 'screening', '初核中', f.screening),
        kpi(el, 'cases', '查处问题', `${f.cases}（在办 ${f.cases_open}）`), kpi(el, 'transferred', '移送线索', f.transferred),
        kpi(el, 'shares', '共享信息', f.shares), kpi(el, 'persons', '处理人数', f.persons));
      list.replaceChildren(el('table.events#supervision-clues',
        el('thead', el('tr', ['受理', '来源', '线索', '状态'].map((h) => el('th', h)))),
        el('tbody', l.items.slice(0, 30).map((c) => el('tr', { tabindex: 0, dataset: { id: c.id, status: c.status },
          onclick: () => open(c.id).catch((e) => shell.toast(e.message, 'error')) },
        el('td', c.received_on), el('td', c.channel), el('td', c.summary), el('td', c.status))))));
    }
    await draw();
  });
}
