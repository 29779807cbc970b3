// The public API: every name src/index.ts exports, with its kind and public
// members, read by the TypeScript checker. Internal refactors leave it as it
// is; a change here is a change users see and must be meant.
import t from 'tap';
import * as api from '../src/index.js';
import { apiSurface } from './helpers/api-surface.js';

const expected: Record<string, string> = {
  "Arena": "class: alloc close free job lend limitBytes numaNode rank returned run segments stats",
  "ArenaBlockError": "class: cause code extends TaskloafError message name stack",
  "ArenaFullError": "class: capacity cause code extends TaskloafError inUse limit message name requested stack",
  "ArenaOptions": "interface: job limitBytes localSize numaNode rank run segmentBytes",
  "ArenaStats": "interface: allocations capacity deferredFrees freePages frees highWater inUse largeLive largestFreeRun lentBlocks live loans requested segments slabs smallLive",
  "Block": "interface: bytes length offset owner segment",
  "BlockName": "interface: length offset owner segment",
  "BufferDetachedError": "class: cause code extends TaskloafError message name stack",
  "EnvError": "class: cause code extends TaskloafError message name stack value variable",
  "ErrorCodes": "const: ERR_ADDON_NOT_BUILT ERR_ARENA_CLOSED ERR_ARENA_FULL ERR_ARROW_UNSUPPORTED ERR_BENCH_MISSING ERR_BLOCK_FREED ERR_BUFFER_DETACHED ERR_DOUBLE_FREE ERR_FOREIGN_BLOCK ERR_INVALID_ARG_TYPE ERR_INVALID_ARG_VALUE ERR_INVALID_BLOCK ERR_INVALID_ENV ERR_INVALID_OPTION ERR_JOB_ID ERR_JOB_SCRIPT_EXISTS ERR_LAUNCHER_MISMATCH ERR_LAUNCH_FAILED ERR_MALFORMED ERR_MPI ERR_MPI_STATE ERR_NOT_LENT ERR_NOT_SERIALIZABLE ERR_NO_ALLOCATION ERR_NO_LAUNCHER ERR_NO_LOGS ERR_NO_SCHEDULER ERR_OVERSUBSCRIBED ERR_PEER_WRITE ERR_REF_FREED ERR_REF_RELEASED ERR_REF_WEIGHT ERR_REMOTE_TASK ERR_RUNTIME_STATE ERR_SCHEDULER ERR_SCRIPT_NOT_FOUND ERR_SCRIPT_TYPE ERR_SYSTEM ERR_TASK_TIMEOUT ERR_TRANSPORT_TIMEOUT ERR_UNKNOWN_JOB ERR_UNKNOWN_MESSAGE ERR_UNKNOWN_TASK ERR_USAGE ERR_WATCH_LISTEN ERR_WIRE_ALIGNMENT ERR_WIRE_BATCH ERR_WIRE_BOUNDS ERR_WIRE_KIND ERR_WIRE_LENGTH ERR_WIRE_MAGIC ERR_WIRE_OVERLAP ERR_WIRE_PAYLOAD ERR_WIRE_PIECES ERR_WIRE_RELEASE ERR_WIRE_RESERVED ERR_WIRE_SECTIONS ERR_WIRE_SECTION_KIND ERR_WIRE_SENDER ERR_WIRE_SEQUENCE ERR_WIRE_TRUNCATED ERR_WIRE_VERSION ERR_WORKER_THREAD",
  "Call": "interface: on",
  "InvalidArgumentError": "class: cause code extends TaskloafError message name stack",
  "LaunchError": "class: cause code extends TaskloafError message name stack",
  "mpi": "namespace: Bytes Comm InitResult ReduceOp ThreadLevel init isend isendv native world",
  "MpiError": "class: call cause code errorClass errorClassName errorCode extends TaskloafError message mpiMessage name requestId stack",
  "MpiErrorDetails": "interface: call errorClass errorClassName errorCode mpiMessage",
  "MpiStateError": "class: cause code extends TaskloafError message name stack",
  "onTimeLimit": "function: (hook)",
  "OptionError": "class: cause code extends LaunchError message name option source stack",
  "PeerMemory": "class: job mappedSegments run segment view",
  "put": "function: (value)",
  "Ref": "class: box get id owner release split unsplit",
  "RefError": "class: cause code extends TaskloafError message name stack",
  "release": "function: (value)",
  "RemoteTaskError": "class: cause code extends TaskloafError host message name rank remoteStack stack task",
  "run": "function: (main)",
  "RuntimeCounters": "interface: callsReceived callsSent cancelled executed refMessagesReceived refMessagesSent refsFreed refsPut resultsReceived resultsSent spawned stealMisses stealRequests stolenIn stolenOut strayResults unknownMessages",
  "RuntimeStateError": "class: cause code extends TaskloafError message name stack",
  "SchedulerError": "class: cause code command exitCode extends LaunchError message name output stack",
  "SerializationError": "class: cause code extends TaskloafError message name path reason stack",
  "start": "function: ()",
  "stats": "function: ()",
  "SystemError": "class: cause code errno extends TaskloafError message name stack syscall",
  "task": "function: (name, fn)",
  "Task": "interface: on taskName timeout",
  "TaskloafError": "class: cause code extends Error message name stack",
  "TaskTimeoutError": "class: cause code extends TaskloafError message ms name rank stack task",
  "UnknownTaskError": "class: cause code extends TaskloafError message name rank stack task",
  "WireError": "class: cause code extends TaskloafError message name sender stack",
  "world": "const: boundBy core host job localRank localSize node nodeOf nodes numaNode oversubscribed rank run size",
  "World": "interface: boundBy core host job localRank localSize node nodeOf nodes numaNode oversubscribed rank run size",
};

t.test('src/index.ts exports exactly the public API', async (t) => {
  t.same(apiSurface(), expected);
});

t.test('every exported value is what its declaration says', async (t) => {
  const values = Object.keys(api).sort();
  const declaredValues = Object.entries(expected)
    .filter(([, v]) => /^(class|function|const|namespace)/.test(v))
    .map(([k]) => k).sort();
  t.same(values, declaredValues);
  for (const name of values) {
    const value = (api as Record<string, unknown>)[name];
    const kind = expected[name]!.split(':')[0];
    t.equal(typeof value, kind === 'class' || kind === 'function' ? 'function' : 'object', name);
  }
});
