// Real local users for shared-node tests: a victim whose job runs, and an
// attacker on the same node. Both are ordinary users (root ignores the sticky
// bit of /dev/shm and /tmp, so a victim running as root proves nothing);
// they are created with useradd when the tests run as root.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawn, spawnSync, type ChildProcess, type SpawnOptions, type SpawnSyncOptions, type SpawnSyncReturns } from 'node:child_process';

export const isRoot = process.getuid?.() === 0;

/** Why a shared-node test cannot run here, or null when it can. */
export const cannotRun: string | null = isRoot ? null : 'shared-node attacks need root to create a second local user (run the tests as root)';

export interface LocalUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

/** The local user `name`, created (with a home directory) if missing. */
export function localUser(name: string): LocalUser {
  let r = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  if (r.status !== 0) {
    if (!isRoot) throw new Error(`local user ${name} is missing and only root can create it`);
    const made = spawnSync('useradd', ['--create-home', '--shell', '/bin/bash', name], { encoding: 'utf8' });
    if (made.status !== 0 && !/already exists/.test(made.stderr)) throw new Error(`useradd ${name}: ${made.stderr}`);
    r = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  }
  const uid = Number(r.stdout.trim());
  const gid = Number(spawnSync('id', ['-g', name], { encoding: 'utf8' }).stdout.trim());
  const home = spawnSync('getent', ['passwd', name], { encoding: 'utf8' }).stdout.split(':')[5] ?? `/home/${name}`;
  return { name, uid, gid, home };
}

// What the test run itself chose and the other users' processes must share:
// the addon build (MPICH, a sanitizer's) and the sanitizer's runtime.
const PASSED_ON = ['TASKLOAF_BUILD', 'LD_PRELOAD', 'ASAN_OPTIONS'];

/** The environment a login of `user` would have, plus the test run's build, plus `extra`. */
export function userEnv(user: LocalUser, extra: Record<string, string> = {}): Record<string, string> {
  const passed = Object.fromEntries(PASSED_ON.flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : [])));
  return {
    HOME: user.home,
    USER: user.name,
    LOGNAME: user.name,
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    ...passed,
    ...extra,
  };
}

function asArgs(user: LocalUser, command: string, args: readonly string[]): string[] {
  return [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', '--', command, ...args];
}

/** Runs `command` as `user` and waits for it. */
export function runAs(user: LocalUser, command: string, args: readonly string[], opts: SpawnSyncOptions = {}): SpawnSyncReturns<string> {
  return spawnSync('setpriv', asArgs(user, command, args), { encoding: 'utf8', env: userEnv(user), ...opts }) as SpawnSyncReturns<string>;
}

/** Starts `command` as `user`. */
export function spawnAs(user: LocalUser, command: string, args: readonly string[], opts: SpawnOptions = {}): ChildProcess {
  return spawn('setpriv', asArgs(user, command, args), { env: userEnv(user), ...opts });
}

/** Names in `dir` (matching `name`) that belong to `user`. */
export function ownedBy(user: LocalUser, dir: string, name: RegExp = /./): string[] {
  return readdirSync(dir).filter((f) => {
    try {
      return name.test(f) && statSync(join(dir, f)).uid === user.uid;
    } catch {
      return false;
    }
  });
}
