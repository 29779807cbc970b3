// Defaults from taskloaf.config.json, profiles per cluster; the command line wins.
import t from 'tap';
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import { findConfig, loadConfig, mergeOptions } from '../src/launch/jobs/config.js';
import { distrust } from '../src/launch/jobs/config-trust.js';
import { jobSpec } from '../src/launch/jobs/spec.js';

const good = {
  defaults: { account: 'proj1', time: '1h', module: ['openmpi'] },
  profile: 'small',
  profiles: {
    small: { partition: 'debug', nodes: 1 },
    big: { scheduler: 'pbs', dialect: 'torque', nodes: 8, 'ntasks-per-node': 32, exclusive: true, partition: 'batch' },
  },
};

t.test('found up from the working directory, or named', async (t) => {
  const dir = t.testdir({ 'taskloaf.config.json': JSON.stringify(good), a: { b: {} }, other: { 'c.json': '{}' } });
  const env = { XDG_CONFIG_HOME: join(dir, 'nothing') };
  t.equal(findConfig(undefined, join(dir, 'a', 'b'), env), join(dir, 'taskloaf.config.json'));
  t.equal(findConfig('other/c.json', dir, env), join(dir, 'other', 'c.json'));
  t.equal(findConfig(undefined, dir, { ...env, TASKLOAF_CONFIG: join(dir, 'other', 'c.json') }), join(dir, 'other', 'c.json'));
  t.throws(() => findConfig('missing.json', dir, env), { option: '--config', message: /does not exist/ });
  const bare = t.testdir({ cfg: { taskloaf: { 'config.json': '{}' } } });
  t.equal(findConfig(undefined, '/', { XDG_CONFIG_HOME: join(bare, 'cfg') }), join(bare, 'cfg', 'taskloaf', 'config.json'), 'the user config');
});

t.test('defaults, then the profile, then the command line', async (t) => {
  const dir = t.testdir({ 'taskloaf.config.json': JSON.stringify(good) });
  const file = join(dir, 'taskloaf.config.json');
  const small = loadConfig(file);
  t.equal(small.profile, 'small', 'the file names its default profile');
  t.same(small.options, { account: 'proj1', time: '1h', module: ['openmpi'], partition: 'debug', nodes: 1 });
  const big = loadConfig(file, 'big');
  t.equal(big.options.nodes, 8);
  t.equal(big.options.ntasksPerNode, 32);
  t.equal(big.options.dialect, 'torque');
  t.equal(big.sources.nodes, `${file} profile big`);
  t.equal(big.sources.account, `${file} defaults`);
  const merged = mergeOptions(big, { nodes: 2, partition: undefined });
  t.equal(merged.options.nodes, 2, 'the command line wins');
  t.equal(merged.sources.nodes, 'command line');
  t.equal(merged.options.partition, 'batch', 'an option not given keeps the profile value');
  const spec = jobSpec(merged.options, 'app.ts', [], merged.sources, dir);
  t.equal(spec.scheduler, 'pbs');
  t.same(spec.modules, ['openmpi']);
  t.same(loadConfig(null).options, {});
});

t.test('bad config files are refused, naming the file and the key', async (t) => {
  const dir = t.testdir({
    'syntax.json': '{ nope',
    'array.json': '[]',
    'unknown-top.json': JSON.stringify({ default: {} }),
    'unknown-key.json': JSON.stringify({ defaults: { nodez: 2 } }),
    'wrong-type.json': JSON.stringify({ defaults: { nodes: '2' } }),
    'wrong-list.json': JSON.stringify({ profiles: { a: { module: 'openmpi' } } }),
    'bad-value.json': JSON.stringify({ defaults: { time: '90' } }),
    'ok.json': JSON.stringify(good),
  });
  const f = (n: string) => join(dir, n);
  t.throws(() => loadConfig(f('syntax.json')), { option: '--config', message: /cannot read .*syntax\.json/ });
  t.throws(() => loadConfig(f('array.json')), { message: /must hold a JSON object/ });
  t.throws(() => loadConfig(f('unknown-top.json')), { option: 'default', message: /not a config key/ });
  t.throws(() => loadConfig(f('unknown-key.json')), { option: 'defaults.nodez', message: /is not a job option/ });
  t.throws(() => loadConfig(f('wrong-type.json')), { option: 'defaults.nodes', message: /must be a number, got "2"/ });
  t.throws(() => loadConfig(f('wrong-list.json'), 'a'), { option: 'profiles.a.module', message: /list of strings/ });
  t.throws(() => loadConfig(f('ok.json'), 'huge'), { option: '--profile', message: /"huge" is not a profile .* it has: small, big/ });
  t.throws(() => loadConfig(null, 'x'), { option: '--profile', message: /no config file/ });
  const bad = loadConfig(f('bad-value.json'));
  t.throws(() => jobSpec(bad.options, 'app.ts', [], bad.sources, dir), {
    option: '--time',
    message: new RegExp(`^--time \\(${f('bad-value.json').replace(/[.]/g, '\\.')} defaults\\): "90" is ambiguous`),
  });
});

t.test('the walk up stops at the repository root and the home directory', async (t) => {
  const dir = t.testdir({ 'taskloaf.config.json': '{}', repo: { '.git': 'gitdir: elsewhere', sub: {} }, home: { proj: {} } });
  const env = { XDG_CONFIG_HOME: join(dir, 'nothing') };
  t.equal(findConfig(undefined, join(dir, 'repo', 'sub'), env), null, 'not above a .git');
  t.equal(findConfig(undefined, join(dir, 'home', 'proj'), { ...env, HOME: join(dir, 'home') }), null, 'not above $HOME');
  t.equal(findConfig(undefined, join(dir, 'home', 'proj'), { ...env, HOME: '/nonexistent' }), join(dir, 'taskloaf.config.json'), 'above a plain directory');
});

t.test('a config file another user owns or could write is not trusted', async (t) => {
  const st = (uid: number, mode: number, file = true) => ({ uid, mode, isFile: () => file }) as unknown as Stats;
  t.equal(distrust(st(1000, 0o100644), 1000), null, 'mine');
  t.equal(distrust(st(0, 0o100644), 1000), null, "root's");
  t.match(distrust(st(1001, 0o100644), 1000), /^it belongs to .*uid 1001.*not to you \(uid 1000\) or root/);
  t.match(distrust(st(1000, 0o100664), 1000), /^group can write it \(mode 0664\)/);
  t.match(distrust(st(1000, 0o100606), 1000), /^others can write it/);
  t.match(distrust(st(0, 0o100666), 1000), /^group and others can write it/);
  t.match(distrust(st(1000, 0o010644, false), 1000), /not a regular file/);
});
