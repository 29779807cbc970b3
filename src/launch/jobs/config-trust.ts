// Whether a config file may steer this user's jobs. Its `setup` lines and
// `env` run in the job script, so on a shared node a file another user could
// have written is refused, as git refuses a repository another user owns.
//
// The file itself is what is checked: it must belong to this user (or root)
// and be writable by no group and no other user. The directories above it are
// not checked: another user who can write one of them can remove or rename
// this user's file, or put their own in its place, but never make a file that
// passes the owner check. The checks are made on the opened descriptor and the
// text is read from it, so the file cannot be swapped between check and read.
import { closeSync, constants, fstatSync, openSync, readFileSync, type Stats } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { OptionError } from '../../errors.js';

/** How the file was found, as errors and the note on stderr name it. */
export type ConfigOrigin = '--config' | 'TASKLOAF_CONFIG' | 'taskloaf.config.json' | 'user config';

/** Why `st` may not steer the jobs of user `uid`, or null when it may. */
export function distrust(st: Stats, uid: number): string | null {
  if (!st.isFile()) return 'it is not a regular file';
  if (st.uid !== uid && st.uid !== 0) {
    return `it belongs to ${userName(st.uid)}, not to you (uid ${uid}) or root; another user's config could run commands in your job`;
  }
  if ((st.mode & 0o022) !== 0) {
    const who = (st.mode & 0o020 ? ['group'] : []).concat(st.mode & 0o002 ? ['others'] : []).join(' and ');
    return `${who} can write it (mode ${(st.mode & 0o7777).toString(8).padStart(4, '0')}); run chmod go-w on it`;
  }
  return null;
}

function userName(uid: number): string {
  // Only for the message: the check itself compares numbers.
  const r = spawnSync('getent', ['passwd', String(uid)], { encoding: 'utf8' });
  const name = r.status === 0 ? r.stdout.split(':')[0] : '';
  return name ? `${name} (uid ${uid})` : `uid ${uid}`;
}

/** The text of a config file this user may trust; OptionError (ERR_INVALID_OPTION) naming the file otherwise. */
export function readTrusted(file: string, origin: ConfigOrigin): string {
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO planted in the file's place must not hang the command.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw new OptionError(origin, `cannot read it: ${(e as Error).message}`, file);
  }
  try {
    const uid = process.getuid?.();
    const why = uid === undefined ? null : distrust(fstatSync(fd), uid);
    if (why !== null) throw new OptionError(origin, `refused: ${why}`, file);
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}
