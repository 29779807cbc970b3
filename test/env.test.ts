// The TASKLOAF_* variables: each one's default when unset, the value it
// gives for a good setting, and ERR_INVALID_ENV naming it for a bad one;
// that src/env.ts is the one place that reads them; and that the README's
// table lists every one (run-time and build-time).
import t from 'tap';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEnv, variables, type EnvName } from '../src/env.js';
import { EnvError } from '../src/errors.js';
import { envReads, root, sourceFiles } from './helpers/source-scan.js';

const scratch = mkdtempSync(join(tmpdir(), 'taskloaf-env-'));
const config = join(scratch, 'c.json');
writeFileSync(config, '{}');

interface Case {
  unset: unknown;
  good: [string, unknown];
  /** null: every value is taken (free text, sanitized or used as a path where it is needed). */
  bad: string | null;
  /** For TASKLOAF_BUILD / TASKLOAF_CONFIG: what relative values resolve against. */
  base?: string;
  /** Extra variables the value is read with (PATH for TASKLOAF_MPIEXEC). */
  with?: Record<string, string>;
}

const cases: Record<EnvName, Case> = {
  TASKLOAF_PROGRESS: { unset: 'auto', good: ['spin', 'spin'], bad: 'fast' },
  TASKLOAF_STEAL: { unset: 'on', good: ['off', 'off'], bad: 'no' },
  TASKLOAF_DEADLOCK_SECONDS: { unset: 10, good: ['0.5', 0.5], bad: 'soon' },
  TASKLOAF_NODES: { unset: null, good: ['2', 2], bad: '0' },
  TASKLOAF_BIND: { unset: 'auto', good: ['none', 'none'], bad: 'core' },
  TASKLOAF_HELPER_NICE: { unset: 0, good: ['19', 19], bad: '20' },
  TASKLOAF_REPORT_BINDINGS: { unset: false, good: ['1', true], bad: 'yes' },
  TASKLOAF_THREAD_LEVEL: { unset: 'funneled', good: ['multiple', 'multiple'], bad: 'many' },
  TASKLOAF_ARENA_SEGMENT: { unset: 64 * 2 ** 20, good: ['8M', 8 * 2 ** 20], bad: '1k' },
  TASKLOAF_ARENA_LIMIT: { unset: null, good: ['1G', 2 ** 30], bad: 'lots' },
  TASKLOAF_JOB_ID: { unset: null, good: ['a b/c', 'a b/c'], bad: null },
  TASKLOAF_RUN_ID: { unset: null, good: ['0f'.repeat(16), '0f'.repeat(16)], bad: 'ABCDEF' },
  TASKLOAF_OVERSUBSCRIBED: { unset: false, good: ['1', true], bad: 'true' },
  TASKLOAF_BUILD: { unset: join(scratch, 'build'), good: ['.', scratch], bad: 'build-none', base: scratch },
  TASKLOAF_MPIEXEC: { unset: null, good: [process.execPath, process.execPath], bad: 'mpiexec.none', with: { PATH: scratch } },
  TASKLOAF_ALLOCATION: { unset: 'auto', good: ['none', 'none'], bad: 'off' },
  TASKLOAF_REQUEUE: { unset: false, good: ['1', true], bad: 'on' },
  TASKLOAF_REQUEUE_GRACE: { unset: 60, good: ['30', 30], bad: '-1' },
  TASKLOAF_WATCH: { unset: null, good: ['/tmp/taskloaf-j-abc/watch', '/tmp/taskloaf-j-abc/watch'], bad: 'watch' },
  TASKLOAF_WATCH_TOKEN: { unset: null, good: ['ab'.repeat(32), 'ab'.repeat(32)], bad: 'secret' },
  TASKLOAF_CONFIG: { unset: null, good: ['c.json', config], bad: 'none.json', base: scratch },
  TASKLOAF_JOBS_DIR: { unset: null, good: ['/tmp/jobs', '/tmp/jobs'], bad: null },
};

t.test('every variable has a case here', async (t) => {
  t.same(Object.keys(variables).sort(), Object.keys(cases).sort());
});

for (const [name, c] of Object.entries(cases) as [EnvName, Case][]) {
  t.test(name, async (t) => {
    const read = (value?: string) => readEnv(name, { ...c.with, ...(value === undefined ? {} : { [name]: value }) }, c.base);
    t.same(read(), c.unset, 'unset: the default');
    t.same(read(''), c.unset, 'empty: the default');
    t.same(read(c.good[0]), c.good[1], `'${c.good[0]}'`);
    const v = variables[name];
    t.ok(v.type && v.default && v.meaning, 'type, default and meaning are given');
    if (c.bad === null) return;
    const bad = c.bad;
    t.throws(() => read(bad), { code: 'ERR_INVALID_ENV', variable: name, value: bad, message: new RegExp(`^${name} must be .*, got '${bad}'`) });
    try {
      read(bad);
    } catch (e) {
      t.ok(e instanceof EnvError, 'an EnvError');
    }
  });
}

t.test('src/env.ts is the one module that reads TASKLOAF_* variables', async (t) => {
  const found: Record<string, string[]> = {};
  for (const file of sourceFiles()) {
    if (file === 'src/env.ts') continue;
    const names = [...new Set(envReads(file).map((s) => s.what))].sort();
    if (names.length) found[file] = names;
  }
  t.same(found, {}, 'direct reads outside src/env.ts (read them with readEnv())');
});

t.test('the README lists every variable, run-time and build-time', async (t) => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const rows = new Set([...readme.matchAll(/^\| `(TASKLOAF_[A-Z_]+)` \|/gm)].map((m) => m[1]));
  for (const name of Object.keys(variables)) t.ok(rows.has(name), `${name} has a row`);
  const script = readFileSync(join(root, 'scripts', 'build-native.mjs'), 'utf8');
  for (const name of new Set([...script.matchAll(/process\.env\.(TASKLOAF_[A-Z_]+)/g)].map((m) => m[1]!))) t.ok(rows.has(name), `${name} (build-time) has a row`);
});
