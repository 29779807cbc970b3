// Bad input to every native function: a JS error with a stable code, never an abort.
import assert from 'node:assert/strict';
import { BufferDetachedError, InvalidArgumentError, MpiError, MpiStateError } from '../../src/errors.js';
import { init, native, world } from '../../src/mpi.js';
import { complete, record } from './lib.js';

const n = native();
const checked: string[] = [];
function fails(name: string, fn: () => unknown, cls: new (...a: never[]) => Error, code: string, extra?: (e: any) => void) {
  assert.throws(fn, (e: any) => {
    assert.ok(e instanceof cls, `${name}: expected ${cls.name}, got ${e?.constructor?.name}: ${e?.message}`);
    assert.equal(e.code, code, `${name}: code`);
    assert.ok(e.message.length > 0);
    extra?.(e);
    return true;
  });
  checked.push(name);
}
const argType = (name: string, fn: () => unknown) => fails(name, fn, InvalidArgumentError, 'ERR_INVALID_ARG_TYPE');
const argValue = (name: string, fn: () => unknown) => fails(name, fn, InvalidArgumentError, 'ERR_INVALID_ARG_VALUE');
const state = (name: string, fn: () => unknown) => fails(name, fn, MpiStateError, 'ERR_MPI_STATE');
const any = n as any;

// Before init.
state('world before init', () => n.world());
state('processorName before init', () => n.processorName());
state('finalize before init', () => n.finalize());
assert.match(n.libraryVersion().library, /MPI/i);
assert.ok(!n.libraryVersion().library.includes('\0'), 'the library version holds no NUL character');
argValue('init bad level', () => any.init('lots'));
argType('init level type', () => any.init(3));
argType('setErrorFactory', () => any.setErrorFactory(42));
argType('abort code type', () => any.abort('x'));
argValue('abort code range', () => any.abort(300));

init();
const comm = world();
const c = comm as any;

// Ranks and tags.
fails('isend to rank == size', () => comm.isend(comm.size, 0, new Uint8Array(8)), MpiError, 'ERR_MPI', (e) => {
  assert.equal(e.errorClassName, 'MPI_ERR_RANK');
  assert.equal(e.call, 'MPI_Isend');
  assert.ok(e.mpiMessage.length > 0);
});
fails('isend to rank 1000', () => comm.isend(1000, 0, new Uint8Array(8)), MpiError, 'ERR_MPI');
fails('isend to rank -7', () => comm.isend(-7, 0, new Uint8Array(8)), MpiError, 'ERR_MPI');
fails('improbe from rank size', () => comm.improbe(comm.size, 0), MpiError, 'ERR_MPI');
fails('bcast root out of range', () => comm.bcast(new Uint8Array(1), comm.size + 3), MpiError, 'ERR_MPI');
argType('isend rank type', () => c.isend('1', 0, new Uint8Array(8)));
argType('isend rank fraction', () => c.isend(0.5, 0, new Uint8Array(8)));
argType('isend rank NaN', () => c.isend(NaN, 0, new Uint8Array(8)));
argValue('isend tag negative', () => comm.isend(0, -5, new Uint8Array(8)));
argValue('isend tag huge', () => comm.isend(0, 2 ** 40, new Uint8Array(8)));
argValue('improbe tag negative', () => comm.improbe(0, -5));

// Buffers.
argType('isend data number', () => c.isend(0, 0, 12));
argType('isend data string', () => c.isend(0, 0, 'hello'));
argType('isend data object', () => c.isend(0, 0, { length: 3 }));
argType('isend data missing', () => c.isend(0, 0));
const detached = new ArrayBuffer(64);
const viewOfDetached = new Uint8Array(detached, 8, 16);
structuredClone(detached, { transfer: [detached] });
fails('isend detached ArrayBuffer', () => comm.isend(0, 0, detached), BufferDetachedError, 'ERR_BUFFER_DETACHED');
fails('isend view of detached', () => comm.isend(0, 0, viewOfDetached), BufferDetachedError, 'ERR_BUFFER_DETACHED');
fails('bcast detached', () => c.bcast(detached, 0), BufferDetachedError, 'ERR_BUFFER_DETACHED');

// Gathered sends.
argType('isendv parts type', () => c.isendv(0, 0, new Uint8Array(4)));
argValue('isendv no parts', () => comm.isendv(0, 0, []));
argType('isendv part type', () => c.isendv(0, 0, [new Uint8Array(1), 'x']));
fails('isendv detached part', () => comm.isendv(0, 0, [new Uint8Array(1), detached]), BufferDetachedError, 'ERR_BUFFER_DETACHED');
fails('isendv to rank size', () => comm.isendv(comm.size, 0, [new Uint8Array(1)]), MpiError, 'ERR_MPI');

// improbe / mrecv / testsome.
argType('improbe source type', () => c.improbe('0', 0));
argType('improbe tag missing', () => c.improbe(0));
argType('mrecv id type', () => any.mrecv('x'));
argValue('mrecv unknown id', () => n.mrecv(12345));
argValue('mrecv id zero', () => n.mrecv(0));
argType('receiveSlab slab type', () => any.receiveSlab(new ArrayBuffer(64), 1, 8));
argType('receiveSlab Float64Array', () => any.receiveSlab(new Float64Array(8), 1, 8));
argType('receiveSlab tag missing', () => any.receiveSlab(new Uint8Array(64)));
argValue('receiveSlab tag negative', () => any.receiveSlab(new Uint8Array(64), -1, 8));
argValue('receiveSlab slab misaligned', () => any.receiveSlab(new Uint8Array(new ArrayBuffer(64), 4), 1, 8));
argType('testsome out type', () => any.testsome([1, 2]));
argType('testsome out Int32Array', () => any.testsome(new Int32Array(4)));
// A message larger than the target is refused without being consumed.
const self = comm.rank;
const selfSend = comm.isend(self, 7, Buffer.from('twelve bytes'));
let id = 0;
while ((id = comm.improbe(self, 7)) === 0);
assert.deepEqual([...n.probeStatus.subarray(0, 3)], [self, 7, 12], 'probe status: source, tag, bytes');
argValue('mrecv target too small', () => n.mrecv(id, new Uint8Array(4)));
assert.equal(n.mrecv(id, new Uint8Array(12)).length, 12);
await complete([selfSend]);

// Collectives.
argType('allreduce values type', () => c.allreduce([1, 2], 'sum'));
argValue('allreduce op', () => c.allreduce(new Float64Array(1), 'avg'));
argValue('allreduce bitwise on float', () => c.allreduce(new Float64Array(1), 'band'));
argType('allreduce op type', () => c.allreduce(new Float64Array(1), 7));
argValue('allgather recv size', () => comm.allgather(new Uint8Array(4), new Uint8Array(4 * comm.size + 1)));
argType('allgather send type', () => c.allgather(null, new Uint8Array(4)));

// Communicators.
argType('Comm constructor', () => new (n as any).Comm());
state('free world', () => comm.free());
const dup = comm.dup();
dup.free();
state('isend on freed comm', () => dup.isend(0, 0, new Uint8Array(1)));
state('barrier on freed comm', () => dup.barrier());
state('improbeInto on freed comm', () => dup.improbeInto());
state('ibarrier on freed comm', () => dup.ibarrier());
state('splitShared on freed comm', () => dup.splitShared());
state('dup on freed comm', () => dup.dup());
state('free twice', () => dup.free());
argType('bcast data type', () => c.bcast('text', 0));
argType('bcast root type', () => c.bcast(new Uint8Array(1), null));
argValue('imrecv unknown message', () => any.imrecv(12345, new Uint8Array(8)));
argValue('wait unknown request', () => any.wait(987654));
argType('wait id type', () => any.wait('one'));
argType('niceHelpers type', () => any.niceHelpers('low'));
argValue('niceHelpers range', () => any.niceHelpers(20));
argValue('niceHelpers negative', () => any.niceHelpers(-1));

// Pending sends block finalize; re-init after finalize is refused.
comm.barrier();
record({ rank: comm.rank, checked: checked.length, names: checked });
