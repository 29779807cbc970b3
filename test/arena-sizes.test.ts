import t from 'tap';
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { join } from 'node:path';
import { jobPrefix, listSegments } from '../src/arena/names.js';
import { arenaSizes, parseBytes } from '../src/arena/sizes.js';
import { root } from './helpers/ranks.js';

t.test('sizes with units', async (t) => {
  t.equal(parseBytes('4096', 'x'), 4096);
  t.equal(parseBytes('64MiB', 'x'), 64 * 2 ** 20);
  t.equal(parseBytes('1.5G', 'x'), 1.5 * 2 ** 30);
  t.equal(parseBytes('512 kb', 'x'), 512_000);
  for (const bad of ['', 'lots', '-5M', '12 parsecs', '100', '1e9']) {
    t.throws(() => parseBytes(bad, 'TASKLOAF_ARENA_LIMIT'), { code: 'ERR_INVALID_ARG_VALUE', message: /TASKLOAF_ARENA_LIMIT/ }, `'${bad}' is refused`);
  }
});

t.test('options, then environment, then defaults from the node', async (t) => {
  const GiB = 2 ** 30;
  t.same(arenaSizes({}, {}, 16 * GiB), { segmentBytes: 64 * 2 ** 20, limitBytes: 8 * GiB });
  t.same(arenaSizes({ localSize: 4 }, {}, 16 * GiB), { segmentBytes: 64 * 2 ** 20, limitBytes: 2 * GiB }, 'half the node over its ranks');
  t.same(arenaSizes({}, { TASKLOAF_ARENA_SEGMENT: '8M', TASKLOAF_ARENA_LIMIT: '1G' }, 16 * GiB), { segmentBytes: 8 * 2 ** 20, limitBytes: GiB });
  t.same(arenaSizes({ segmentBytes: 4096, limitBytes: 8192 }, { TASKLOAF_ARENA_LIMIT: '1G' }), { segmentBytes: 4096, limitBytes: 8192 });
});

for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  t.test(`${sig} to a process with an arena removes its segments`, async (t) => {
    const job = `sig${Date.now().toString(36)}${sig}`;
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test', 'scripts', 'arena-signal.ts'), job], {
      cwd: root,
      // As a user runs it: without the test runner's own preloads and signal handlers.
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    const names = await new Promise<string[]>((resolve) => child.stdout.once('data', (d) => resolve(JSON.parse(String(d)))));
    t.equal(names.length, 2, 'two segments while running');
    t.same(listSegments(jobPrefix(job)).sort(), [...names].sort());
    child.kill(sig);
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
    t.equal(code, 128 + constants.signals[sig], `the process ends as one killed by ${sig} would (128 + signal)`);
    t.equal(signal, null);
    t.same(listSegments(jobPrefix(job)), [], 'nothing left');
  });
}
