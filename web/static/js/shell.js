// The command center's module shell (docs/architecture.md, docs/web.md). GET /api/v1/modules
// names each module's script (only scripts the binary serves) and the map layers and panels this
// caller may see; the shell imports each script that has a view for the caller and calls its
// `mount(shell)`, in which the module says what draws them:
//
//   shell.layer(id, draw)   draw() → ECharts series on the map's geo coordinates (lon/lat,
//                            WGS84 as stored, like the grids); drawn while its switch is on.
//   shell.panel(id, open)   open(body) fills the panel #panel-<id> below the main grid.
//   shell.addSeries(option) a fixed series for the module's layer named option.id (or its first
//                            layer); shell.addPanel(id, title) → the panel's element to fill.
//   shell.refresh(id)       draw a layer again (after a live message, say).
//   shell.module            the module's own entry of the list (its layers and panels).
//   shell.map, shell.api, shell.el, shell.esc, shell.toast, shell.fmtTime, shell.who,
//   shell.openEvent(code)   the command center's own helpers.
//
// Titles come from the server; a view the server did not list (the caller may not see it) is
// not drawn even if a script asks. Module series are only ever merged by their ids (a switched
// off layer keeps empty series), so the event layer and series a script sets itself stay. A
// script that fails to load is reported and the rest of the center works on.
import { api } from './api.js';
import { $, el, esc, fmtTime, toast } from './common.js';

function panelsBox() {
  let box = $('#module-panels');
  if (!box) {
    box = el('section.module-panels#module-panels', { 'aria-label': '业务模块' });
    $('main').after(box);
  }
  return box;
}

// A panel fills the slot reserved for it in list order (modules mount side by side).
function panelBox(id, title) {
  const body = el('div.panel-body');
  const panel = el('div.panel', { id: `panel-${id}` }, el('h2', {}, title), body);
  const slot = document.getElementById(`panel-slot-${id}`);
  if (slot) slot.replaceWith(panel);
  else panelsBox().append(panel);
  return body;
}

export async function loadModules({ map, who, openEvent }) {
  const { items } = await api('/api/v1/modules');
  const layerDefs = new Map();
  const panelDefs = new Map();
  for (const m of items) {
    for (const v of m.layers || []) layerDefs.set(v.id, v);
    for (const v of m.panels || []) panelDefs.set(v.id, v);
  }
  const layers = [];
  const panels = [];

  async function draw(l) {
    if (!l.on) {
      map.setOption({ series: l.series.map((s) => ({ id: s.id, data: [] })) });
      return;
    }
    try {
      l.series = (await l.draw()).map((s, i) => ({ coordinateSystem: 'geo', ...s, id: `layer-${l.id}-${i}` }));
    } catch (e) {
      toast(`${l.title}：${e.message}`, 'error');
      return;
    }
    map.setOption({ series: l.series });
  }

  const shell = {
    map, api, el, esc, toast, fmtTime, who, openEvent,
    layer(id, drawFn) {
      const d = layerDefs.get(id);
      if (!d || layers.some((l) => l.id === id)) return false;
      layers.push({ id, title: d.title, draw: drawFn, on: true, series: [] });
      return true;
    },
    async panel(id, open) {
      const d = panelDefs.get(id);
      if (!d || panels.includes(id)) return false;
      panels.push(id);
      const body = panelBox(id, d.title);
      try {
        await open(body);
      } catch (e) {
        body.replaceChildren(el('p.alert-red', {}, e.message));
      }
      return true;
    },
    async refresh(id) {
      const l = layers.find((x) => x.id === id);
      if (l) await draw(l);
    },
  };

  // Every script is fetched at once (on a slow network one round trip, not one per module),
  // then each is mounted; the mounts run side by side, and since each starts in list order, the
  // panels they add synchronously keep the order of GET /api/v1/modules.
  const wanted = items.filter((m) => m.script && (m.layers.length || m.panels.length));
  for (const id of panelDefs.keys()) panelsBox().append(el('div', { id: `panel-slot-${id}`, hidden: true }));
  const loaded = await Promise.all(wanted.map((m) => import(m.script).then((mod) => ({ m, mod }), (e) => ({ m, e }))));
  const mounted = loaded.map(async ({ m, mod, e }) => {
    const own = Object.create(shell);
    own.module = m;
    own.addSeries = (option) => {
      const id = m.layers.some((v) => v.id === option.id) ? option.id : m.layers[0]?.id;
      return shell.layer(id, () => [option]);
    };
    own.addPanel = (id, title) => {
      const d = panelDefs.get(id);
      if (!d || panels.includes(id)) return el('div'); // not listed for this caller: not shown
      panels.push(id);
      return panelBox(id, d.title || title);
    };
    try {
      if (e) throw e;
      await mod.mount(own);
    } catch (err) {
      toast(`模块「${m.name}」未能加载：${err.message}`, 'error');
    }
  });
  await Promise.all(mounted);
  for (const slot of document.querySelectorAll('[id^="panel-slot-"]')) slot.remove();
  const order = (defs) => { const ids = [...defs.keys()]; return (a, b) => ids.indexOf(a) - ids.indexOf(b); };
  panels.sort(order(panelDefs));
  const byLayer = order(layerDefs);
  layers.sort((a, b) => byLayer(a.id, b.id));

  const sw = $('#layer-switch');
  for (const l of layers) {
    const box = el('input', { type: 'checkbox', checked: true, 'data-layer': l.id });
    box.addEventListener('change', () => { l.on = box.checked; draw(l); });
    sw.append(el('label.layer', {}, box, ` ${l.title}`));
  }
  // The header's buttons take the officer to each module's panel.
  const bar = $('#module-bar');
  for (const id of panels) {
    const b = el('button.secondary', { type: 'button', 'data-panel': id }, panelDefs.get(id).title);
    b.addEventListener('click', () => document.getElementById(`panel-${id}`).scrollIntoView({ behavior: 'smooth' }));
    bar.append(b);
  }
  bar.hidden = panels.length === 0;
  await Promise.all(layers.map(draw));
  return shell;
}
