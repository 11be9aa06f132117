// Enterprise services in the command center (issue 17): the 助企兴业 panel (appeals received,
// closed in loop, on time and satisfied, by class and by street; certificates and the 压减率; a
// 免申即享 run with the reason of every rule) and the 欠薪隐患预警 board (open and resolved
// warnings, the event each opened, workers helped and wages recovered). The server computes every
// figure and decides every rule; this file only draws them.
import { el } from './common.js';

const rate = (a, b) => (b ? `${((100 * a) / b).toFixed(1)}%` : '—');

function kpi(label, value, id) {
  return el('div.kpi', el('div.k', label), el(id ? `div.v#${id}` : 'div.v', String(value)));
}

function groupTable(rows, head) {
  return el('table.events', el('thead', el('tr', [head, '受理', '办结', '按时办结率', '满意率'].map((t) => el('th', t)))),
    el('tbody', rows.map((g) => el('tr', el('td', g.label), el('td', g.received), el('td', g.closed),
      el('td', rate(g.closed_on_time, g.closed)), el('td', rate(g.satisfied, g.rated))))));
}

function policyRunner(ctx, policies) {
  const pick = el('select#enterprise-policy', { 'aria-label': '免申即享政策' },
    policies.map((p) => el('option', { value: p.code }, `${p.code} ${p.name}`)));
  const out = el('div#enterprise-policy-result', { role: 'status' });
  const form = el('form.filters#enterprise-policy-form', { novalidate: true }, pick, el('button', { type: 'submit' }, '匹配符合条件的企业'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    out.replaceChildren(el('p.hint', '计算中…'));
    try {
      const r = await ctx.api('/api/v1/enterprise/policies/run', { method: 'POST', body: { code: pick.value } });
      const yuan = (r.benefit_total_fen / 100).toFixed(2);
      out.replaceChildren(
        el('p#enterprise-policy-summary', `${r.name}：${r.evaluated} 家企业中 ${r.eligible} 家符合，无需申请；合计 ${yuan} 元`),
        el('table.events', el('thead', el('tr', ['企业', '统一社会信用代码', '金额（元）', '各条件'].map((t) => el('th', t)))),
          el('tbody', r.items.slice(0, 30).map((it) => el('tr', el('td', it.name), el('td', it.uscc), el('td', it.benefit_yuan),
            el('td', it.rules.map((x) => el('div', x.reason))))))),
        r.items.length > 30 ? el('p.hint', `仅显示前 30 家，共 ${r.items.length} 家`) : '');
    } catch (err) {
      out.replaceChildren(el('p.error', err.message || String(err)));
    }
  });
  return [el('h2', '免申即享：政策匹配'), form, out];
}

async function drawFigures(ctx, body) {
  const f = await ctx.api('/api/v1/enterprise/figures');
  const a = f.appeals, c = f.certificates;
  body.replaceChildren(
    el('div.kpis',
      kpi('企业诉求受理', a.received, 'enterprise-received'),
      kpi('闭环办结', a.closed, 'enterprise-closed'),
      kpi('按时办结率', rate(a.closed_on_time, a.closed)),
      kpi('满意率', rate(a.satisfied, a.rated)),
      kpi('证明事项压减率', `${c.reduction_rate}%`, 'enterprise-reduction'),
      kpi('在线开具证明', c.issued)),
    el('p.hint', `证明事项 ${c.types_total} 项压减至 ${c.types_issued} 项；平均开具用时 ${c.avg_issue_hours} 小时。诉求按事件闭环统计：办结 = 结案，按时 = 全程未超时。`),
    el('h2', '按诉求类别'), groupTable(f.by_class.filter((g) => g.received), '类别'),
    el('h2', '按街道'), groupTable(f.by_street, '街道'),
    el('p.actions', el('a', { href: '/api/v1/enterprise/appeals.csv', download: 'enterprise-appeals.csv' }, '下载企业诉求 CSV')));
  const perms = ctx.who.permissions;
  if (!Array.isArray(perms) || perms.includes('enterprise.policy')) {
    try {
      const pol = await ctx.api('/api/v1/enterprise/policies');
      if (pol.items.length) body.append(...policyRunner(ctx, pol.items));
    } catch { /* the figures stand without the policies */ }
  }
}

async function drawWarnings(ctx, body) {
  const [w, f] = await Promise.all([ctx.api('/api/v1/enterprise/wage/warnings'), ctx.api('/api/v1/enterprise/figures')]);
  const g = f.wage;
  body.replaceChildren(
    el('div.kpis',
      kpi('欠薪隐患', g.warnings),
      kpi('已化解', g.resolved, 'wage-resolved'),
      kpi('帮助劳动者', `${g.workers_helped} 名`, 'wage-workers'),
      kpi('追回工资', `${g.recovered_yuan} 元`, 'wage-recovered')),
    el('table.events#wage-warnings', el('thead', el('tr', ['项目', '用人单位', '预警', '事件', '状态'].map((t) => el('th', t)))),
      el('tbody', w.items.map((x) => el('tr', el('td', x.project), el('td', x.employer), el('td', x.detail),
        el('td', el('button.link', { type: 'button', onclick: () => ctx.openEvent(x.event_code) }, x.event_code)),
        el('td', x.resolved_at ? `已化解：${x.workers_helped} 人，${x.recovered_yuan} 元` : '待化解'))))),
    el('p.actions', el('a', { href: '/api/v1/enterprise/wage/warnings.csv', download: 'wage-warnings.csv' }, '下载预警台账 CSV')));
}

export async function mount(ctx) {
  for (const p of ctx.module.panels || []) {
    const body = ctx.addPanel(p.id, p.title);
    body.append(el('p.hint', '加载中…'));
    try {
      if (p.id === 'enterprise') await drawFigures(ctx, body);
      else if (p.id === 'wage_warnings') await drawWarnings(ctx, body);
    } catch (err) {
      body.replaceChildren(el('p.error', err.message || String(err)));
    }
  }
}
