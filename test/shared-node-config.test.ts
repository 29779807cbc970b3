// Config discovery on a shared node: another local user plants a
// taskloaf.config.json whose `setup` and `env` would run their code in the
// victim's job. The victim's `taskloaf template` must never render it: the walk
// up from the working directory stops at the repository's root, and a file
// another user owns (or could write) is refused wherever it was found.
import t from 'tap';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from './helpers/ranks.js';
import { cannotRun, localUser, runAs, type LocalUser } from './helpers/local-users.js';

if (cannotRun !== null) {
  t.fail(cannotRun);
} else {
  const victim = localUser('tlcf-victim');
  const attacker = localUser('tlcf-attacker');
  // A shared parent of the victim's project, like /tmp or /scratch: anyone may add files.
  const shared = mkdtempSync('/tmp/tlcf-config-');
  chmodSync(shared, 0o1777);
  t.teardown(() => rmSync(shared, { recursive: true, force: true }));

  const planted = {
    defaults: {
      setup: ['touch /tmp/tlcf-pwned'],
      env: ['NODE_OPTIONS=--require=/tmp/tlcf-evil.js', 'LD_PRELOAD=/tmp/tlcf-evil.so'],
    },
  };
  const plantedText = /tlcf-pwned|tlcf-evil|NODE_OPTIONS|LD_PRELOAD/;

  const sh = (user: LocalUser, script: string, cwd = shared) => {
    const r = runAs(user, 'sh', ['-c', script], { cwd });
    if (r.status !== 0) throw new Error(`${user.name}: ${script}: ${r.stderr}`);
  };
  const write = (user: LocalUser, file: string, data: unknown, mode = '644') =>
    sh(user, `umask 022 && printf '%s' '${JSON.stringify(data)}' > '${file}' && chmod ${mode} '${file}'`);
  // `env -i`: the victim's own login environment, none of the test runner's hooks.
  const template = (cwd: string, args: string[] = [], env: Record<string, string> = {}) => {
    const vars = { HOME: victim.home, USER: victim.name, PATH: process.env.PATH ?? '/usr/bin:/bin', ...env };
    const words = ['-i', ...Object.entries(vars).map(([k, v]) => `${k}=${v}`), process.execPath, cli, 'template', 'slurm', ...args, 'app.ts'];
    return runAs(victim, 'env', words, { cwd });
  };

  const project = (name: string, repo: boolean) => {
    const dir = join(shared, name);
    sh(victim, `mkdir '${dir}' && touch '${dir}/app.ts'${repo ? ` && mkdir '${dir}/.git'` : ''}`);
    return dir;
  };
  write(attacker, join(shared, 'taskloaf.config.json'), planted);

  t.test('a config planted above the repository is not reached', async (t) => {
    const dir = project('repo', true);
    const r = template(dir);
    t.equal(r.status, 0, r.stderr);
    t.match(r.stdout, /^#!\/bin\/bash\n/);
    t.notMatch(r.stdout, plantedText, 'none of the planted lines');
    t.notMatch(r.stderr, /taskloaf: config /, 'no config used');
  });

  t.test('a config planted above a project outside any repository is refused', async (t) => {
    const dir = project('loose', false);
    const r = template(dir);
    t.equal(r.status, 2, 'refused');
    t.equal(r.stdout, '', 'no script');
    t.match(r.stderr, new RegExp(`${shared}/taskloaf\\.config\\.json\\): refused: it belongs to tlcf-attacker \\(uid ${attacker.uid}\\), not to you.*\\[ERR_INVALID_OPTION\\]`));
  });

  t.test('--config, TASKLOAF_CONFIG and the user config are checked the same way', async (t) => {
    const dir = project('named', true);
    const theirs = join(shared, 'taskloaf.config.json');
    const byFlag = template(dir, ['--config', theirs]);
    t.equal(byFlag.status, 2);
    t.match(byFlag.stderr, /--config \(.*\): refused: it belongs to tlcf-attacker/);
    const byEnv = template(dir, [], { TASKLOAF_CONFIG: theirs });
    t.equal(byEnv.status, 2);
    t.match(byEnv.stderr, /TASKLOAF_CONFIG \(.*\): refused: it belongs to tlcf-attacker/);
    sh(attacker, `mkdir -p xdg/taskloaf && chmod -R 755 xdg`);
    write(attacker, join(shared, 'xdg', 'taskloaf', 'config.json'), planted);
    const byXdg = template(dir, [], { XDG_CONFIG_HOME: join(shared, 'xdg') });
    t.equal(byXdg.status, 2);
    t.match(byXdg.stderr, /user config \(.*xdg\/taskloaf\/config\.json\): refused: it belongs to tlcf-attacker/);
    for (const r of [byFlag, byEnv, byXdg]) t.notMatch(r.stdout, plantedText);
  });

  t.test("the victim's own config is refused while group or others can write it", async (t) => {
    const dir = project('writable', true);
    const file = join(dir, 'taskloaf.config.json');
    write(victim, file, { defaults: { setup: ['echo mine'] } }, '664');
    const group = template(dir);
    t.equal(group.status, 2);
    t.match(group.stderr, /taskloaf\.config\.json \(.*writable\/taskloaf\.config\.json\): refused: group can write it \(mode 0664\); run chmod go-w/);
    t.equal(group.stdout, '');
    sh(victim, `chmod 646 '${file}'`);
    t.match(template(dir).stderr, /refused: others can write it \(mode 0646\)/);
  });

  t.test("the victim's own config in the repository is used", async (t) => {
    const dir = project('own', true);
    write(victim, join(dir, 'taskloaf.config.json'), { defaults: { account: 'vproj', setup: ['echo victim-setup'] } }, '600');
    const r = template(dir);
    t.equal(r.status, 0, r.stderr);
    t.match(r.stdout, /#SBATCH --account=vproj\n/);
    t.match(r.stdout, /\necho victim-setup\n/);
    t.notMatch(r.stdout, plantedText);
    const said = r.stderr.match(/^taskloaf: config .*$/gm) ?? [];
    t.same(said, [`taskloaf: config ${join(dir, 'taskloaf.config.json')} (taskloaf.config.json)`], 'named once on stderr');
    t.notMatch(r.stdout, /taskloaf: config/, 'stdout is the script alone');
  });
}
