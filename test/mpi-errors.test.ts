import t from 'tap';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { root, runRanks } from './helpers/ranks.js';

for (const np of [1, 2]) {
  t.test(`bad input to every native function is a coded JS error at ${np} ranks`, async (t) => {
    const r = runRanks('errors.ts', np);
    t.equal(r.code, 0, r.stderr);
    t.equal(r.records.length, np);
    for (const rec of r.records) t.ok(Number(rec.checked) >= 40, `rank ${rec.rank} checked ${rec.checked} cases`);
  });
}

t.test('finalize refuses while sends are pending; no re-init after finalize', async (t) => {
  const r = runRanks('lifecycle.ts', 2);
  t.equal(r.code, 0, r.stderr);
  t.equal(r.records.length, 2);
  for (const rec of r.records) {
    t.equal(rec.refused, true, `rank ${rec.rank}: finalize with a send pending was refused`);
    t.equal(rec.finalized, true);
  }
});

t.test('a worker thread cannot load the addon: a coded error, not a race on MPI', async (t) => {
  const url = pathToFileURL(join(root, 'dist', 'native', 'addon.js')).href;
  const w = new Worker(
    `const { parentPort } = require("node:worker_threads"); import(${JSON.stringify(url)}).then((m) => { try { m.addon(); parentPort.postMessage("loaded"); } catch (e) { parentPort.postMessage(e.code + ": " + e.message); } });`,
    { eval: true },
  );
  const message = await new Promise<string>((resolve, reject) => {
    w.on('message', resolve);
    w.on('error', reject);
  });
  await w.terminate();
  t.match(message, /^ERR_WORKER_THREAD: .*main thread/);
});
