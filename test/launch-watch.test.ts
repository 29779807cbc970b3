// The launcher's side of its channel to the ranks, in one process: what it
// refuses (a wrong token, an endless line), what it counts once (`warned` per
// rank), whom it signals (only a process carrying the run's token) and the
// private directory it lives in.
import t from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { createConnection, type Socket } from 'node:net';
import { MAX_LINE, watchRanks, type Watch } from '../src/launch/watch.js';
import { LaunchError } from '../src/errors.js';
import { alive } from './helpers/procs.js';

async function opened(t: Tap.Test): Promise<Watch> {
  const w = watchRanks('unit');
  t.teardown(() => w.close());
  await w.listening;
  return w;
}

function connect(w: Watch): Promise<Socket> {
  return new Promise((res, rej) => {
    const s = createConnection(w.env.TASKLOAF_WATCH);
    s.on('connect', () => res(s));
    s.on('error', rej);
  });
}

const closedBy = (s: Socket) => new Promise<void>((res) => (s.destroyed ? res() : s.on('close', () => res())));

function sleeper(t: Tap.Test, env: Record<string, string> = {}): ChildProcess {
  const c = spawn('sleep', ['600'], { env: { ...process.env, ...env }, stdio: 'ignore' });
  t.teardown(() => void c.kill('SIGKILL'));
  return c;
}

t.test('the socket is in a new directory only its user can enter, gone at close', async (t) => {
  const w = watchRanks('unit');
  await w.listening;
  const dir = dirname(w.env.TASKLOAF_WATCH);
  const st = statSync(dir);
  t.equal(st.mode & 0o777, 0o700, 'mode 0700');
  t.equal(st.uid, process.getuid!(), 'owned by the job user');
  t.match(w.env.TASKLOAF_WATCH_TOKEN, /^[0-9a-f]{64}$/, 'a random token');
  const other = watchRanks('unit');
  other.close();
  t.not(other.env.TASKLOAF_WATCH_TOKEN, w.env.TASKLOAF_WATCH_TOKEN, 'a new one each run');
  t.not(other.env.TASKLOAF_WATCH, w.env.TASKLOAF_WATCH, 'in a new directory');
  w.close();
  t.notOk(existsSync(dir), 'removed');
});

t.test('no place for the socket is a LaunchError with a code', async (t) => {
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = '/nonexistent-taskloaf-dir';
  try {
    let caught: unknown;
    try {
      watchRanks('unit').close();
    } catch (e) {
      caught = e;
    }
    t.ok(caught instanceof LaunchError, 'a LaunchError');
    t.equal((caught as LaunchError).code, 'ERR_WATCH_LISTEN');
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
});

t.test('a hello without the token is dropped and heard as nothing', async (t) => {
  const w = await opened(t);
  let hellos = 0;
  w.onHello = () => hellos++;
  const s = await connect(w);
  s.write(`hello ${'0'.repeat(64)} 0 ${process.pid} h\n`);
  await closedBy(s);
  t.equal(hellos, 0);
  t.equal(w.connected(), 0);
  t.same(w.closed, [], 'nor counted as a rank that ended');
});

for (const authenticated of [false, true]) {
  t.test(`a line longer than ${MAX_LINE} bytes drops the connection (${authenticated ? 'after' : 'before'} a hello)`, async (t) => {
    const w = await opened(t);
    const s = await connect(w);
    s.on('error', () => {});
    if (authenticated) s.write(`hello ${w.env.TASKLOAF_WATCH_TOKEN} 0 ${process.pid} h\n`);
    s.write(Buffer.alloc(MAX_LINE + 2, 'x'));
    await closedBy(s);
    t.pass('dropped');
  });
}

t.test('warned is passed on once per rank however often it comes', async (t) => {
  const w = await opened(t);
  const events: number[] = [];
  w.onEvent = (rank) => events.push(rank);
  const socks = await Promise.all([connect(w), connect(w)]);
  socks.forEach((s, rank) => s.write(`hello ${w.env.TASKLOAF_WATCH_TOKEN} ${rank} ${process.pid} h\n` + 'warned\n'.repeat(1000)));
  for (const s of socks) s.end();
  while (w.closed.length < 2) await new Promise((r) => setTimeout(r, 10));
  t.same(events.sort(), [0, 1]);
});

t.test('only a process carrying the token is signalled', async (t) => {
  const w = await opened(t);
  const stranger = sleeper(t);
  const rank = sleeper(t, { TASKLOAF_WATCH_TOKEN: w.env.TASKLOAF_WATCH_TOKEN });
  const died = new Promise((r) => rank.on('exit', (_c, sig) => r(sig)));
  const hellos: number[] = [];
  w.onHello = (r) => hellos.push(r.pid);
  const socks = await Promise.all([connect(w), connect(w)]);
  socks[0]!.write(`hello ${w.env.TASKLOAF_WATCH_TOKEN} 0 ${stranger.pid} h\n`);
  socks[1]!.write(`hello ${w.env.TASKLOAF_WATCH_TOKEN} 1 ${rank.pid} h\n`);
  while (hellos.length < 2) await new Promise((r) => setTimeout(r, 10));
  const told = w.ranks().map((r) => [r.pid, w.tell(r)]);
  t.same(told.sort(), [[stranger.pid, false], [rank.pid, true]].sort());
  t.equal(await died, 'SIGUSR2', 'the rank was told');
  t.ok(alive(stranger.pid!), 'the process a hello named without the token lives');
  for (const s of socks) s.destroy();
});
