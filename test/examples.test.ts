// Every example runs under taskloaf run and prints the right answer, on 1, 2
// and 4 (oversubscribed) ranks.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { cli, root } from './helpers/ranks.js';

function example(name: string, np: number, args: string[] = []): { code: number | null; out: string; err: string } {
  const flags = ['run', '-n', String(np), ...(np > availableParallelism() ? ['--oversubscribe'] : [])];
  const r = spawnSync(process.execPath, [cli, ...flags, join(root, 'examples', name), ...args], { cwd: root, encoding: 'utf8', timeout: 180_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

for (const np of [1, 2, 4]) {
  t.test(`examples at ${np} rank(s)`, async (t) => {
    const fib = example('fib.ts', np, ['27']);
    t.equal(fib.code, 0, fib.err);
    t.match(fib.out, new RegExp(`^fib\\(27\\) = 196418 in [\\d.]+ s on ${np} rank\\(s\\)$`, 'm'));
    const pi = example('pi.ts', np, ['64', '20000']);
    t.equal(pi.code, 0, pi.err);
    t.match(pi.out, new RegExp(`pi ≈ 3\\.14\\d+ from 1280000 samples in 64 tasks on ${np} rank\\(s\\)`));
    const stencil = example('stencil.ts', np, ['1024', '50']);
    t.equal(stencil.code, 0, stencil.err);
    t.match(stencil.out, /heat 25600\.000000, matches the serial result: true/);
    const sum = example('arrow-sum.ts', np, ['100000']);
    t.equal(sum.code, 0, sum.err);
    t.match(sum.out, new RegExp(`sum of 100000 rows over ${np} rank\\(s\\) = 49950000 \\(expected 49950000\\): right`));
  });
}
