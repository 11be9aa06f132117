// The printable one-page summary of the rectification ledger (web/center/ledger-print.html): the
// ledger as of a day beside an earlier day, the figures by group and the problems not yet closed,
// as the server computes them, laid out for a leader's desk.
import { api, currentUser, loginUrl } from './api.js';
import { $, el } from './common.js';

const pct = (v) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);
const td = (v, n) => el(n ? 'td.n' : 'td', v);
const GROUPS = { department: '按责任单位', source: '按来源', category: '按类别' };
const MAX_OPEN = 25;

async function start() {
  if (!(await currentUser())) { location.assign(loginUrl()); return; }
  const q = new URLSearchParams(location.search);
  const asOf = q.get('as_of') || '';
  const group = q.get('group_by') || 'department';
  const since = q.get('since') || '';
  const args = new URLSearchParams({ as_of: asOf, group_by: group });
  if (since) args.set('since', since);
  const [f, open] = await Promise.all([
    api(`/api/v1/ledger/figures?${args}`),
    api(`/api/v1/ledger/problems?as_of=${encodeURIComponent(asOf)}&status=open`),
  ]);
  $('#title').textContent = `整改台账汇总（截至 ${f.as_of}）`;
  $('#subtitle').textContent = `打印于 ${new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'long', timeStyle: 'short' }).format(new Date())}`;
  const fig = (k, v) => el('div', `${k}：${v}`);
  $('#figures').replaceChildren(
    fig('问题', `${f.problems} 个`), fig('措施', `${f.measures} 项`), fig('已销号', `${f.closed} 个`), fig('销号率', pct(f.closure_rate)),
    fig('整改中', `${f.open} 个`), fig('长期坚持', `${f.long_term} 个`), fig('超期措施', `${f.overdue_measures} 项`), fig('反弹', `${f.reopened} 个`));
  if (f.changes) {
    const c = f.changes;
    $('#changes').textContent = `与 ${c.from} 相比：台账由 ${f.since.problems} 个问题、${f.since.measures} 项措施变为 ${f.problems} 个、${f.measures} 项；`
      + `其间新增问题 ${c.problems_added} 个、措施 ${c.measures_added} 项，销号 ${c.closed} 次，反弹 ${c.reopened} 次；销号率由 ${pct(f.since.closure_rate)} 变为 ${pct(f.closure_rate)}。`;
  }
  $('#group-title').textContent = `分组统计（${GROUPS[f.group_by] || ''}）`;
  $('#groups tbody').replaceChildren(...[...f.items, { label: '合计', ...f }].map((r) => el('tr', td(r.label), td(r.problems, 1), td(r.measures, 1),
    td(r.closed, 1), td(pct(r.closure_rate), 1), td(r.overdue_measures, 1), td(r.reopened, 1))));
  const rows = [...open.items].sort((a, b) => (b.overdue - a.overdue) || a.deadline.localeCompare(b.deadline));
  $('#open tbody').replaceChildren(...rows.slice(0, MAX_OPEN).map((p) => el('tr', { dataset: { id: p.id } },
    td(p.title), td(p.department_name), td(p.deadline), td(p.overdue ? `${p.status_label}（已超时限）` : p.status_label))));
  if (rows.length > MAX_OPEN) $('#open').after(el('p.note', `另有 ${rows.length - MAX_OPEN} 个未销号问题，见台账 CSV。`));
  $('#print').addEventListener('click', () => window.print());
  document.body.dataset.ready = 'true';
}

start().catch((e) => { document.body.append(el('p', e.message || String(e))); });
