// Recording paper ballots of an owners' vote on the phone (web/grid/renewal-vote.html): pick the
// vote and the unit, the owner's choice, and see the tally the server recomputes per 民法典
// 第二百七十八条. The choices and whether the caller may record come from the server.
import { api, currentUser, loginUrl } from './api.js';
import { $, el, toast } from './common.js';

const pct = (x) => `${(100 * x).toFixed(1)}%`;
let current = null;

function showTally(v) {
  const t = v.tally;
  $('#tally').textContent = `参与：面积 ${pct(t.participating_area_ratio)}，人数 ${pct(t.participating_owners_ratio)}；`
    + `同意：面积 ${pct(t.approving_area_ratio)}，人数 ${pct(t.approving_owners_ratio)}；结果：${t.result_label}`;
  $('#tally').dataset.passed = String(t.passed);
}

async function load(id) {
  const v = await api(`/api/v1/renewal/votes/${encodeURIComponent(id)}`);
  current = v;
  $('#unit').replaceChildren(...v.ballots.map((b) => el('option', { value: b.unit }, `${b.unit}（${b.owner}，${b.area_m2} ㎡，${b.vote_label}）`)));
  $('#choices').replaceChildren(el('legend', '表决意见'), ...v.choices.map((c, i) => el('label',
    el('input', { type: 'radio', name: 'choice', value: c.value, checked: i === 0 }), c.label)));
  $('#submit').disabled = !v.may_record;
  showTally(v);
}

async function start() {
  if (!(await currentUser())) { location.assign(loginUrl()); return; }
  const votes = (await api('/api/v1/renewal/votes')).items;
  $('#vote').replaceChildren(...votes.map((v) => el('option', { value: String(v.id) }, `${v.title}（${v.project_name}）`)));
  const want = new URLSearchParams(location.search).get('id');
  if (want) $('#vote').value = want;
  $('#vote').addEventListener('change', () => load($('#vote').value).catch((e) => toast(e.message, 'error')));
  $('#ballot').addEventListener('submit', async (x) => {
    x.preventDefault();
    const choice = document.querySelector('input[name=choice]:checked');
    $('#submit').disabled = true;
    try {
      const v = await api(`/api/v1/renewal/votes/${current.id}/ballots`, { method: 'POST', body: { unit: $('#unit').value, vote: choice.value } });
      const unit = $('#unit').value;
      $('#result').className = '';
      $('#result').textContent = `已登记 ${unit}：${choice.parentElement.textContent}`;
      await load(current.id);
      $('#unit').value = unit;
      showTally(v);
    } catch (e) {
      $('#result').className = 'error-text';
      $('#result').textContent = e.message;
    } finally {
      $('#submit').disabled = !current.may_record;
    }
  });
  if (votes.length) await load($('#vote').value);
  else $('#tally').textContent = '您的辖区内没有进行中的表决。';
  document.body.dataset.ready = 'true';
}

start().catch((e) => toast(e.message || String(e), 'error'));
