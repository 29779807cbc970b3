// The quiet start before each measurement: processes a measurement left
// behind are found by the process list (the token in their environment),
// waited for, and ended after the time-out; another run's live measurement is
// left alone; a busy machine is waited for and reported, never ignored.
import { spawn, type ChildProcess } from 'node:child_process';
import t from 'tap';
import { measure } from '../bench/lib/launch.js';
import { busyShare, enableQuietStarts, markedProcesses, quietLog, quietStart, TOKEN_VAR } from '../bench/lib/quiet.js';

const fast = { busyBelow: 1.01, windowMs: 50, timeoutMs: 600 };
const gone = (p: ChildProcess) => new Promise<void>((resolve) => (p.exitCode !== null || p.signalCode !== null ? resolve() : p.once('exit', () => resolve())));
const running = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

t.test('a leftover of this process is found, waited for, then killed', async (t) => {
  const left = spawn('sleep', ['600'], { env: { ...process.env, [TOKEN_VAR]: `${process.pid}-t1` }, stdio: 'ignore' });
  t.teardown(() => left.kill('SIGKILL'));
  await new Promise((r) => setTimeout(r, 100));
  t.ok(markedProcesses().some((p) => p.pid === left.pid && p.command === 'sleep 600' && p.owner === process.pid));
  const exited = gone(left);
  const r = quietStart('after t1', fast);
  t.strictSame(r.leftovers, ['sleep 600']);
  t.equal(r.killed, 1);
  t.ok(r.waitedMs >= fast.timeoutMs, `waited the time-out first (${r.waitedMs} ms)`);
  await exited;
  t.equal(left.signalCode, 'SIGTERM');
  t.equal(quietLog.at(-1), r, 'logged for the results');
});

t.test('a leftover that ends by itself is waited for, not killed', async (t) => {
  const left = spawn('sleep', ['0.3'], { env: { ...process.env, [TOKEN_VAR]: `${process.pid}-t2` }, stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 50));
  const r = quietStart('after t2', { ...fast, timeoutMs: 5000 });
  t.strictSame(r.leftovers, ['sleep 0.3']);
  t.equal(r.killed, 0);
  t.ok(r.waitedMs >= 150 && r.waitedMs < 5000, `waited until it ended (${r.waitedMs} ms)`);
  await gone(left);
  t.equal(left.exitCode, 0, 'ended by itself');
});

t.test('the measurement of another live benchmark run is not killed', async (t) => {
  const owner = spawn('sleep', ['600'], { stdio: 'ignore' });
  const theirs = spawn('sleep', ['600'], { env: { ...process.env, [TOKEN_VAR]: `${owner.pid}-t3` }, stdio: 'ignore' });
  t.teardown(() => {
    owner.kill('SIGKILL');
    theirs.kill('SIGKILL');
  });
  await new Promise((r) => setTimeout(r, 100));
  const r = quietStart('after t3', fast);
  t.strictSame(r.leftovers, ['sleep 600']);
  t.equal(r.killed, 0);
  t.ok(running(theirs.pid!), 'still running');
});

t.test('processes without the token, and this process itself, are not counted', async (t) => {
  const other = spawn('sleep', ['600'], { stdio: 'ignore' });
  t.teardown(() => other.kill('SIGKILL'));
  process.env[TOKEN_VAR] = `${process.pid}-self`;
  t.teardown(() => delete process.env[TOKEN_VAR]);
  await new Promise((r) => setTimeout(r, 100));
  const pids = markedProcesses().map((p) => p.pid);
  t.notOk(pids.includes(other.pid!));
  t.notOk(pids.includes(process.pid));
});

t.test('a busy machine is waited for up to the time-out and reported as not settled', async (t) => {
  const spinners = [0, 1].map(() => spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
  t.teardown(() => spinners.forEach((s) => s.kill('SIGKILL')));
  await new Promise((r) => setTimeout(r, 200));
  t.ok(busyShare(200) > 0.5, 'two spinning processes keep the CPUs busy');
  const r = quietStart('busy', { busyBelow: 0.2, windowMs: 100, timeoutMs: 700 });
  t.equal(r.settled, false);
  t.ok(r.busy >= 0.2, `last sample ${r.busy}`);
  t.ok(r.waitedMs >= 700);
  spinners.forEach((s) => s.kill('SIGKILL'));
  await Promise.all(spinners.map(gone));
  const calm = quietStart('calm', { busyBelow: 0.9, windowMs: 100, timeoutMs: 10_000 });
  t.equal(calm.settled, true);
});

t.test('measure() marks what it starts and its children, and waits for what the one before left', async (t) => {
  enableQuietStarts();
  // A measurement that leaves a child running behind it.
  const first = measure('sh', ['-c', 'sleep 1 >/dev/null 2>&1 & echo started'], process.env, 10_000);
  t.equal(first.stdout.trim(), 'started');
  const before = quietLog.length;
  const second = measure('true', [], process.env, 10_000);
  t.equal(second.status, 0);
  const r = quietLog[before]!;
  t.strictSame(r.leftovers, ['sleep 1'], 'the child of the measurement before');
  t.equal(r.killed, 0);
});
