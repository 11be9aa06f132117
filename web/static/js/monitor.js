// The monitoring module's parts of the command center: the stations layer (every station at its
// place, red while one of its alerts is open) and the alerts panel (open alerts, newest first,
// with the event each opened).
export async function mount(shell) {
  const { api, el, esc, fmtTime } = shell;

  shell.layer('stations', async () => {
    const [st, al] = await Promise.all([api('/api/v1/stations'), api('/api/v1/monitor/alerts?state=open&limit=500')]);
    const alarming = new Set(al.items.map((a) => a.station));
    return [{
      type: 'scatter', symbol: 'diamond', symbolSize: 9, z: 3,
      data: st.items.map((s) => ({
        value: [s.lon, s.lat], name: s.name, kind: s.kind_label, state: alarming.has(s.code) ? '预警中' : '正常',
        itemStyle: { color: alarming.has(s.code) ? '#ff5252' : '#4dd0e1', borderColor: '#000', borderWidth: 0.5 },
      })),
      tooltip: { formatter: (p) => `${esc(p.data.name)}<br>${esc(p.data.kind)} · ${esc(p.data.state)}` },
    }];
  });

  shell.panel('alerts', async (body) => {
    const r = await api('/api/v1/monitor/alerts?state=open&limit=200');
    if (!r.items.length) {
      body.append(el('p.hint', {}, '当前没有未解除的预警。'));
      return;
    }
    const rows = r.items.map((a) => {
      const cell = el('td');
      if (a.event) {
        const b = el('button.secondary', { type: 'button', 'data-event': a.event }, a.event);
        b.addEventListener('click', () => shell.openEvent(a.event));
        cell.append(b);
      }
      return el('tr', {}, el('td', {}, a.station_name), el('td', {}, a.rule),
        el('td', {}, el(`span.pill.${a.level === 'red' ? 'red' : 'yellow'}`, {}, a.level_label)),
        el('td', {}, fmtTime(a.opened_at)), cell);
    });
    body.append(el('table.events', {},
      el('thead', {}, el('tr', {}, ...['站点', '规则', '级别', '开始时间', '事件'].map((h) => el('th', {}, h)))),
      el('tbody', {}, ...rows)));
  });
}
