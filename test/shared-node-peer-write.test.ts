// A task that writes into a value another rank of its node shares with it:
// peers map the owner's segments read-only, so the owner's data never changes
// through a peer; the write ends the job with a report naming the task and
// the value's owner, and nothing of the job is left in /dev/shm.
import t from 'tap';
import { hostname } from 'node:os';
import { listSegments } from '../src/arena/names.js';
import { runRanks } from './helpers/ranks.js';
import { PEER_WRITE_STATUS } from '../src/arena/peer-write.js';

const uniq = () => `tlpw${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
const leftovers = (job: string) => listSegments('taskloaf-').filter((n) => n.includes(job));

for (const np of [2, 4]) {
  t.test(`a peer reads the owner's memory in place, mapped read-only (${np} ranks)`, async (t) => {
    const job = uniq();
    const r = runRanks('peer-write.ts', np, { args: ['read'], env: { TASKLOAF_JOB_ID: job } });
    t.equal(r.code, 0, r.stderr);
    const peer = r.records.find((x) => x.check === 'peer');
    t.match(peer, { rank: 1, length: 65536, bad: 0 }, 'every value as the owner wrote it');
    t.equal(peer?.perms, 'r--s', "the owner's segment is mapped shared and read-only on the peer");
    t.same(leftovers(job), [], 'nothing left in /dev/shm');
  });
}

const WRITES = {
  'write-sync': "task 'scribble'",
  'write-after-await': "code after an await in task 'scribbleLater'",
} as const;
for (const [mode, who] of Object.entries(WRITES)) {
  t.test(`a write into a peer's value ends the job with a report (${mode})`, async (t) => {
    const job = uniq();
    const r = runRanks('peer-write.ts', 2, { args: [mode], env: { TASKLOAF_JOB_ID: job } });
    t.equal(r.code, PEER_WRITE_STATUS, 'the job ends with the status of a write into a peer');
    const line = r.stderr.split('\n').find((l) => l.includes('ERR_PEER_WRITE')) ?? '';
    t.match(line, `taskloaf: rank 1 on ${hostname()}: ${who}`, 'names the rank and the task');
    t.match(line, /wrote into a value that rank 0 shares with this node \(segment \S+-r0-s0, byte 56\)/, 'names the owner and where in its memory');
    t.match(line, /copy it \(slice\(\)\) before writing/, 'says what to do');
    t.notOk(r.records.some((x) => x.check === 'peer'), 'the task never returned');
    t.notOk(r.records.some((x) => x.check === 'owner after'), 'the job did not go on');
    t.same(leftovers(job), [], 'nothing left in /dev/shm');
  });
}

t.test('across nodes the task gets its own copy: it may write, the owner is unchanged', async (t) => {
  const job = uniq();
  const r = runRanks('peer-write.ts', 2, { args: ['write-sync'], simulateNodes: 2, env: { TASKLOAF_JOB_ID: job } });
  t.equal(r.code, 0, r.stderr);
  t.match(r.records.find((x) => x.check === 'peer'), { value: 'written' });
  t.match(r.records.find((x) => x.check === 'owner after'), { seventh: 7, unchanged: true }, "the owner's values are as written");
  t.same(leftovers(job), [], 'nothing left in /dev/shm');
});
