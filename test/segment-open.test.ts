// A peer maps another rank's segment only if it is a regular shared memory
// object of this user, and only read-only: a name another user made, a FIFO
// or a link in /dev/shm is refused with a SystemError naming why.
import t from 'tap';
import { chownSync, lstatSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { addon } from '../src/native/addon.js';
import { SystemError } from '../src/errors.js';
import { cannotRun } from './helpers/local-users.js';

const native = addon();
const name = (what: string) => `taskloaf-tlso-${what}-${randomBytes(6).toString('hex')}`;
const made: string[] = [];
t.teardown(() => {
  for (const n of made) rmSync(`/dev/shm/${n}`, { force: true });
});

function permsOf(ab: ArrayBuffer): string {
  const at = native.addressOf(new Uint8Array(ab));
  for (const line of readFileSync('/proc/self/maps', 'utf8').split('\n')) {
    const [range, perms] = line.split(' ');
    const [lo, hi] = (range ?? '').split('-').map((h) => BigInt(`0x${h || '0'}`));
    if (lo !== undefined && hi !== undefined && at >= lo && at < hi) return perms ?? '?';
  }
  return 'unmapped';
}

t.test("this user's segment is mapped shared and read-only, with the owner's bytes", async (t) => {
  const n = name('own');
  made.push(n);
  const owner = new Uint8Array(native.shmCreate(n, 8192, -1));
  owner[100] = 42;
  const peer = native.shmOpen(n, 0);
  t.equal(peer.byteLength, 8192);
  t.equal(new Uint8Array(peer)[100], 42, "the owner's byte");
  t.equal(permsOf(peer), 'r--s');
  owner[101] = 7;
  t.equal(new Uint8Array(peer)[101], 7, 'a later write of the owner is seen: the same memory');
  native.shmUnlink(n);
});

t.test("another user's object, a FIFO and a link are refused", async (t) => {
  if (cannotRun) throw new Error(cannotRun);
  const other = name('other');
  made.push(other);
  writeFileSync(`/dev/shm/${other}`, Buffer.alloc(4096), { mode: 0o600 });
  chownSync(`/dev/shm/${other}`, 65534, 65534);
  t.throws(() => native.shmOpen(other, 0), { name: 'SystemError', code: 'ERR_SYSTEM', message: /belongs to uid 65534, not this user/ });

  const fifo = name('fifo');
  made.push(fifo);
  t.equal(spawnSync('mkfifo', ['-m', '600', `/dev/shm/${fifo}`]).status, 0);
  t.ok(lstatSync(`/dev/shm/${fifo}`).isFIFO());
  // Opened without blocking, then refused: a FIFO never holds the rank up.
  t.throws(() => native.shmOpen(fifo, 0), { code: 'ERR_SYSTEM', message: /not a regular shared memory object/ });

  const target = name('target');
  const link = name('link');
  made.push(target, link);
  writeFileSync(`/dev/shm/${target}`, Buffer.alloc(4096), { mode: 0o600 });
  symlinkSync(`/dev/shm/${target}`, `/dev/shm/${link}`);
  const e = (() => {
    try {
      native.shmOpen(link, 0);
    } catch (err) {
      return err;
    }
  })();
  t.ok(e instanceof SystemError, 'a link is not followed');
  t.equal((e as SystemError).syscall, 'shm_open');
});
