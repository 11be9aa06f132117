// Monitoring ingest benchmark driver (run by bench/monitor_bench.sh): registers sewer stations on
// a running zhizhi, posts the readings of a CSV file as JSON batches of BATCH readings one after
// another (each batch: validation, durable storage, hourly/daily aggregates, rule evaluation),
// and prints "readings N", "seconds S", "readings_per_s R", "accepted A". FORMAT json sends
// {"readings":[...]} bodies, csv sends text/csv bodies of the same rows; stations are named
// PREFIX-0, PREFIX-1, ... (the file names them B-i).
// Usage: node monitor_bench.mjs BASE TOKEN STATIONS FILE.csv [json|csv] [PREFIX]
import { readFileSync } from 'node:fs';

const [base, token, nstations, file, format = 'json', prefix = 'B'] = process.argv.slice(2);
const BATCH = Number(process.env.BENCH_BATCH || 1000);
const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };

// Points inside demo grids of the district (WGS84).
const points = [[106.5740, 29.5500], [106.5650, 29.5600], [106.5600, 29.5560], [106.5400, 29.5480]];
for (let i = 0; i < Number(nstations); i++) {
  const [lon, lat] = points[i % points.length];
  const r = await fetch(`${base}/api/v1/stations`, {
    method: 'POST', headers,
    body: JSON.stringify({ code: `${prefix}-${i}`, name: `压测液位计${i}`, kind: 'sewer', lon, lat, department: 'urban' }),
  });
  if (r.status !== 201) throw new Error(`station ${i}: ${r.status} ${await r.text()}`);
}

const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => prefix + l.slice(1));
const rows = lines.map((l) => {
  const [station, parameter, time, value] = l.split(',');
  return { station, parameter, time, value: Number(value) };
});
// Bodies are built before the clock starts: the figure is the server's, not JSON.stringify's.
const bodies = [];
for (let i = 0; i < rows.length; i += BATCH)
  bodies.push(format === 'csv' ? lines.slice(i, i + BATCH).join('\n') + '\n'
    : JSON.stringify({ readings: rows.slice(i, i + BATCH) }));
const post = { ...headers, 'Content-Type': format === 'csv' ? 'text/csv' : 'application/json' };

// CLIENTS senders post batches concurrently (a district's devices do not wait for each other);
// the server validates batches in parallel and commits them one at a time.
const CLIENTS = Number(process.env.BENCH_CLIENTS || 4);
let accepted = 0, next = 0;
async function sender() {
  while (next < bodies.length) {
    const body = bodies[next++];
    const r = await fetch(`${base}/api/v1/readings`, { method: 'POST', headers: post, body });
    const j = await r.json();
    if (r.status !== 200 || j.rejected.length) throw new Error(`batch: ${r.status} ${JSON.stringify(j).slice(0, 300)}`);
    accepted += j.accepted;
  }
}
const t0 = process.hrtime.bigint();
await Promise.all(Array.from({ length: CLIENTS }, sender));
const s = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(`readings ${rows.length}`);
console.log(`accepted ${accepted}`);
console.log(`seconds ${s.toFixed(3)}`);
console.log(`readings_per_s ${Math.round(rows.length / s)}`);
