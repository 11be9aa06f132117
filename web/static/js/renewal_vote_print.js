// The printable notice of an owners' vote (web/center/renewal-vote-print.html?id=N): the result,
// the four ratios against the thresholds of 民法典 第二百七十八条 and the ballots, as the server
// tallies them from the stored ballots.
import { api, currentUser, loginUrl } from './api.js';
import { $, el } from './common.js';

const pct = (x) => `${(100 * x).toFixed(2)}%`;
const num = (v) => Number(v).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

async function start() {
  if (!(await currentUser())) { location.assign(loginUrl()); return; }
  const id = new URLSearchParams(location.search).get('id') || '';
  const v = await api(`/api/v1/renewal/votes/${encodeURIComponent(id)}`);
  const t = v.tally;
  $('#title').textContent = `${v.project_name} 业主共同决定结果公告`;
  $('#intro').textContent = `事项：${v.title}（${v.matter_label}）。建筑物专有部分总面积 ${num(t.total_area_m2)} ㎡，业主 ${t.total_owners} 人（一人拥有多套专有部分的按一人计）。表决自 ${v.opened_at.slice(0, 10)} 起。`;
  $('#result').textContent = `表决结果：${t.result_label}`;
  $('#result').dataset.passed = String(t.passed);
  const major = v.matter === 'major';
  const row = (k, a, o, req) => el('tr', el('td', k), el('td.n', a), el('td.n', o), el('td', req));
  $('#ratios tbody').replaceChildren(
    row('参与表决', `${num(t.participating_area_m2)} ㎡（${pct(t.participating_area_ratio)}）`, `${t.participating_owners} 人（${pct(t.participating_owners_ratio)}）`, '均须占总数三分之二以上'),
    row('同意', `${num(t.approving_area_m2)} ㎡（${pct(t.approving_area_ratio)}）`, `${t.approving_owners} 人（${pct(t.approving_owners_ratio)}）`,
      major ? '均须占参与表决的四分之三以上' : '均须超过参与表决的半数'),
    row('反对 / 弃权', '', `${t.opposing_owners} 人 / ${t.abstain_owners} 人`, '弃权计入参与表决、不计入同意'));
  $('#rule').textContent = `依据：${t.rule}。“以上”含本数（民法典第一千二百五十九条），“过半数”不含半数。`;
  $('#ballots tbody').replaceChildren(...v.ballots.map((b) => el('tr', el('td', b.unit), el('td', b.owner), el('td.n', num(b.area_m2)), el('td', b.vote_label))));
  $('#note').textContent = v.synthetic ? '本公告中的小区、业主与表决为示例数据（synthetic）。' : '';
  $('#sign').textContent = `打印于 ${new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'long' }).format(new Date())}`;
  $('#print').addEventListener('click', () => window.print());
  document.body.dataset.ready = 'true';
}

start().catch((e) => { document.body.append(el('p', e.message || String(e))); });
