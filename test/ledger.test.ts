// The launcher's ledger of its ranks: written and read only in a private
// directory of this user (0700), never through a link, never a FIFO or
// another user's file; and the sweep of Open MPI's files takes only the job
// ids given and only files of this user.
import t from 'tap';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ledgerPath, noteExit, noteStart, privateDirectory, readLedger, sweepMpiFiles } from '../src/launch/ledger.js';

const root = process.getuid?.() === 0;
const nobody = Number(spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).stdout.trim()) || 65534;

/** A private directory as `taskloaf run` makes one, and the socket path the ranks get. */
function channel(t: Tap.Test): { dir: string; watch: string } {
  const dir = mkdtempSync(join(tmpdir(), 'taskloaf-ledger-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, watch: join(dir, 'watch') };
}

t.test('ranks note, the launcher reads', async (t) => {
  const { watch } = channel(t);
  t.ok(privateDirectory(join(watch, '..')));
  noteStart(watch, 0);
  noteStart(watch, 1);
  noteExit(watch, 1, 'SIGTERM');
  const l = readLedger(watch);
  t.same(l.map((r) => [r.rank, r.pid, r.exited, r.signal]), [[0, process.pid, false, undefined], [1, process.pid, true, 'SIGTERM']]);
  t.equal(statSync(ledgerPath(watch)).mode & 0o777, 0o600, 'the ledger is 0600');
});

t.test('an exit after the ledger was removed does not make a new one', async (t) => {
  // A rank that lost its launcher removes the ledger; another rank ends after it.
  const { watch } = channel(t);
  noteStart(watch, 0);
  rmSync(ledgerPath(watch));
  noteExit(watch, 0, 'SIGHUP');
  t.notOk(existsSync(ledgerPath(watch)), 'nothing is left behind');
});

t.test('no ledger without the private directory', async (t) => {
  const { dir, watch } = channel(t);
  chmodSync(dir, 0o755);
  t.notOk(privateDirectory(dir), 'a directory others may enter is not private');
  noteStart(watch, 0);
  t.notOk(existsSync(ledgerPath(watch)), 'nothing is written there');
  writeFileSync(ledgerPath(watch), 'start 0 1 h deadbeef\n');
  t.same(readLedger(watch), [], 'nor read from there');
  t.same(readLedger('/nonexistent/taskloaf/watch'), [], 'no directory (another node): nothing');
  noteStart('/nonexistent/taskloaf/watch', 0);
});

t.test('a ledger that is a link or a FIFO is neither followed nor waited on', async (t) => {
  const { dir, watch } = channel(t);
  const target = join(dir, 'target');
  writeFileSync(target, 'start 0 1 h deadbeef\n');
  symlinkSync(target, ledgerPath(watch));
  noteStart(watch, 0);
  t.equal(readFileSync(target, 'utf8'), 'start 0 1 h deadbeef\n', 'the link target is not written');
  t.same(readLedger(watch), [], 'nor read through the link');
  rmSync(ledgerPath(watch));
  spawnSync('mkfifo', [ledgerPath(watch)]);
  // A FIFO with no writer would block a plain open: the test would hang here.
  t.same(readLedger(watch), [], 'a FIFO is not read');
  noteStart(watch, 0);
  t.pass('nor written');
});

t.test("another user's directory or ledger is not believed", { skip: root ? false : 'needs root to give a file to another user' }, async (t) => {
  const { dir, watch } = channel(t);
  noteStart(watch, 0);
  chownSync(ledgerPath(watch), nobody, nobody);
  t.same(readLedger(watch), [], "another user's ledger is not read");
  rmSync(ledgerPath(watch));
  chownSync(dir, nobody, nobody);
  t.notOk(privateDirectory(dir), "another user's directory is not ours");
  noteStart(watch, 0);
  t.notOk(existsSync(ledgerPath(watch)), 'nothing is written into it');
});

t.test("Open MPI's files: only the job ids given, only our own", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'taskloaf-vader-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const files = ['vader_segment.h.1.abc1.0', 'vader_segment.h.1.abc1.1', 'vader_segment.h.1.abc2.0', 'vader_segment.h.1.abc12.0', 'other.abc1.0'];
  for (const f of files) writeFileSync(join(dir, f), '');
  if (root) chownSync(join(dir, files[1]!), nobody, nobody);
  t.equal(sweepMpiFiles([undefined, null, 'abc1', 'not hex!'], dir), root ? 1 : 2);
  t.notOk(existsSync(join(dir, files[0]!)), "the job's own file goes");
  if (root) t.ok(existsSync(join(dir, files[1]!)), "another user's file of that id stays");
  for (const f of files.slice(2)) t.ok(existsSync(join(dir, f)), `${f} stays`);
  t.equal(sweepMpiFiles([], dir), 0, 'no ids: nothing');
});
