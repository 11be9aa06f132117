// The living circle's part of the command center (15分钟生活圈, issue 19): the facilities on the
// map by service category, with the walking isochrone of a chosen site; and a panel with the
// coverage of each street for a required (category, level), the gaps largest first, how many
// facilities of the category residents reach within T minutes (with a per-building CSV), where
// to build next (lazy greedy MCLP, each pick with its gain), the CSV export and the printable
// page. Loaded by the module shell (shell.js) through GET /api/v1/modules; every figure comes
// from the server.
const COLORS = {
  employment: '#8e44ad',
  education: '#2f7bd9',
  health: '#d9363e',
  culture: '#f0a020',
  elderly: '#2e9d5b',
};

const pct = (x) => `${(100 * x).toFixed(1)}%`;
let isochrone = null; // the ring drawn on the map, from the panel

export async function mount(shell) {
  const { el, esc } = shell;
  const hasLayer = shell.layer('lifecircle', async () => {
    const f = await shell.api('/api/v1/lifecircle/facilities');
    const series = [{
      type: 'scatter',
      coordinateSystem: 'geo',
      zlevel: 3,
      symbolSize: 7,
      data: f.items.map((x) => ({
        value: [x.lon, x.lat],
        p: x,
        itemStyle: { color: COLORS[x.category] || '#666' },
      })),
      tooltip: {
        formatter: (x) => `${esc(x.data.p.name)}<br>${esc(x.data.p.kind)}（${esc(x.data.p.level)} 分钟级）` +
          (x.data.p.synthetic ? '<br>（示例数据）' : ''),
      },
    }];
    if (isochrone) {
      series.push({
        type: 'lines',
        coordinateSystem: 'geo',
        polyline: true,
        zlevel: 3,
        lineStyle: { width: 2, color: '#2e9d5b', type: 'dashed' },
        data: [{ coords: isochrone.geometry.coordinates[0], name: '步行等时圈' }],
      });
    }
    return series;
  });

  shell.panel('lifecircle_gaps', async (body) => {
    const req = await shell.api('/api/v1/lifecircle/requirements');
    const net = await shell.api('/api/v1/lifecircle/network');
    const titles = Object.fromEntries(req.categories.map((c) => [c.id, c.title]));
    const pick = el('select#lc-req', {}, req.requirements.map((r, i) =>
      el('option', { value: String(i) }, `${titles[r.category]} · ${r.level} 分钟 · ${r.item}`)));
    const profile = el('select#lc-profile', {}, req.profiles.map((x) => el('option', { value: x.id }, x.title)));
    const out = el('div#lc-out');
    const csv = el('a#lc-csv', { href: '/api/v1/lifecircle/coverage.csv?group=street', download: '' }, '导出覆盖率（CSV）');
    const print = el('a#lc-print', { href: '/center/lifecircle-print.html?profile=walk', target: '_blank' }, '打印版');

    async function render() {
      const r = req.requirements[Number(pick.value)];
      const p = profile.value;
      csv.setAttribute('href', `/api/v1/lifecircle/coverage.csv?group=street&profile=${encodeURIComponent(p)}`);
      print.setAttribute('href', `/center/lifecircle-print.html?profile=${encodeURIComponent(p)}`);
      const cov = await shell.api(`/api/v1/lifecircle/coverage?group=street&profile=${encodeURIComponent(p)}`);
      const gaps = await shell.api(`/api/v1/lifecircle/gaps?profile=${encodeURIComponent(p)}`);
      const cell = (a) => a.cells.find((c) => c.category === r.category && c.level === r.level);
      const rows = cov.areas.map((a) => el('tr', {},
        el('td', {}, a.name), el('td', {}, String(a.population)),
        el('td', { class: cell(a).share < 0.5 ? 'alert-red' : '' }, pct(cell(a).share))));
      const mine = gaps.items.filter((g) => g.category === r.category && g.level === r.level).slice(0, 10);
      const gapRows = mine.map((g) => el('tr', {}, el('td', {}, g.name),
        el('td', {}, String(Math.round(g.uncovered))), el('td', {}, pct(g.share))));
      const suggest = el('button#lc-suggest', { type: 'button' }, '选址建议（3 处）');
      const picks = el('div#lc-picks');
      suggest.addEventListener('click', async () => {
        const s = await shell.api(`/api/v1/lifecircle/suggest?category=${encodeURIComponent(r.category)}&level=${r.level}&k=3&profile=${encodeURIComponent(p)}`);
        picks.replaceChildren(
          el('table.lc-picks', {},
            el('thead', {}, el('tr', {}, el('th', {}, '建议选址'), el('th', {}, '新增覆盖人口'), el('th', {}, ''))),
            el('tbody', {}, s.picks.map((x) => {
              const show = el('button.secondary', { type: 'button' }, '等时圈');
              show.addEventListener('click', async () => {
                isochrone = await shell.api(`/api/v1/lifecircle/isochrone?lon=${x.lon}&lat=${x.lat}&minutes=${r.level}&profile=${encodeURIComponent(p)}`);
                await shell.refresh('lifecircle');
                shell.toast(`已在地图上画出 ${r.level} 分钟步行等时圈`);
              });
              return el('tr', {}, el('td', {}, x.name), el('td', {}, String(Math.round(x.gain))), el('td', {}, show));
            }))),
          el('p.hint', {}, `覆盖 ${Math.round(s.covered_before)} → ${Math.round(s.covered_after)} 人（共 ${Math.round(s.population)} 人）；贪心算法，不低于最优的 63%。`));
      });
      // count within T: how many residents reach how many facilities of this category
      const reach = el('div#lc-reach');
      const minutes = el('input#lc-minutes', { type: 'number', min: '1', max: '60', step: '1', value: String(r.level), style: 'width:5em;display:inline-block;padding:.1em .3em' });
      const reachCsv = el('a#lc-reach-csv', { download: '' }, '各居住点可达数（CSV）');
      async function renderReach() {
        const q = `category=${encodeURIComponent(r.category)}&minutes=${encodeURIComponent(minutes.value)}&profile=${encodeURIComponent(p)}`;
        reachCsv.setAttribute('href', `/api/v1/lifecircle/reach.csv?${q}`);
        const x = await shell.api(`/api/v1/lifecircle/reach?${q}`);
        const t = x.total;
        reach.replaceChildren(
          el('p.lc-reach-line', {}, `${x.minutes} 分钟内可步行到达至少一处${x.category_title}设施：${Math.round(t.reached)} 人（${pct(t.share)}），` +
            `居住点 ${t.points_reached}/${t.points} 处；人均可达 ${t.mean_facilities} 处（共 ${x.facilities} 处设施）。`),
          el('table.lc-reach', {}, el('thead', {}, el('tr', {}, el('th', {}, '可达设施数'), el('th', {}, '人口'), el('th', {}, '占比'))),
            el('tbody', {}, t.by_count.map((b) => el('tr', {}, el('td', {}, b.label), el('td', {}, String(Math.round(b.population))),
              el('td', {}, pct(t.population ? b.population / t.population : 0)))))));
      }
      minutes.addEventListener('change', () => { renderReach().catch((e) => shell.toast(e.message, 'error')); });
      out.replaceChildren(
        el('h4', {}, `各街道 ${r.level} 分钟内可达 ${r.item} 的人口比例`),
        el('table.lc-coverage', {}, el('thead', {}, el('tr', {}, el('th', {}, '街道'), el('th', {}, '人口'), el('th', {}, '覆盖率'))),
          el('tbody', {}, rows)),
        el('h4', {}, '缺口最大的社区'),
        el('table.lc-gaps', {}, el('thead', {}, el('tr', {}, el('th', {}, '社区'), el('th', {}, '未覆盖人口'), el('th', {}, '覆盖率'))),
          el('tbody', {}, gapRows)),
        el('h4', {}, `${titles[r.category]}：步行 `, minutes, ' 分钟内可达的设施数 ', reachCsv), reach,
        suggest, picks);
      await renderReach();
    }
    pick.addEventListener('change', render);
    profile.addEventListener('change', render);
    body.append(el('div.lc-controls', {}, pick, ' ', profile, ' ', csv, ' ', print), out,
      el('p.hint', {}, net.synthetic ? `路网：${net.attribution}（示例数据）` : `路网：${net.source}，${net.attribution}`));
    await render();
  });
  return hasLayer;
}
