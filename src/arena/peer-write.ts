// The label a write into another rank's memory is reported with. Peers map
// the owner's segments read-only, so such a write is a fault, not an
// exception; the native handler (native/peer-guard.cc) reads this label from
// static memory to name this rank and the task that wrote: the one whose
// synchronous part runs, else the tasks suspended in an await.
import { addon } from '../native/addon.js';

// Layout of native/peer-guard.h.
const WHERE = 120;
const ADVICE = 256;
const TASKS = 256;
const NAME = 64;
const WHERE_AT = 16;
const ADVICE_AT = WHERE_AT + WHERE;
const SUSPENDED_AT = ADVICE_AT + ADVICE;
const NAME_LENGTH_AT = SUSPENDED_AT + 4 * TASKS;
const NAMES_AT = NAME_LENGTH_AT + TASKS;

interface Label {
  head: Int32Array; // [current task index + 1, where length, advice length]
  suspended: Int32Array;
  buffer: ArrayBuffer;
}

let label: Label | null = null;
/** Index of each task name seen (-1 past the table: such a task is not named). */
const indices = new Map<string, number>();
const encoder = new TextEncoder();

/** What the report says after naming the writer and the value; the rank then ends with PEER_WRITE_STATUS. */
const CODE = 'ERR_PEER_WRITE';
const ADVICE_TEXT = `a value received from another rank of the node is that rank's memory and read-only here: copy it (slice()) before writing to it [${CODE}]; ending the job`;

/** The exit status of a rank that wrote into another rank's memory (native/peer-guard.h). */
export const PEER_WRITE_STATUS = 70;

/** True once a peer's segment is mapped here: only then can a write into one happen. */
export const peerWrites = { armed: false };

function writeText(buffer: ArrayBuffer, at: number, max: number, text: string): number {
  const b = encoder.encode(text);
  const n = Math.min(b.length, max);
  new Uint8Array(buffer, at, max).set(b.subarray(0, n));
  return n;
}

/** Where this rank is ("rank 1 on node7"), said first in the report. */
export function armPeerWrites(where: string): void {
  if (!label) {
    const buffer = addon().peerWriteLabel();
    label = { buffer, head: new Int32Array(buffer, 0, 3), suspended: new Int32Array(buffer, SUSPENDED_AT, TASKS) };
  }
  label.head[1] = writeText(label.buffer, WHERE_AT, WHERE, where);
  label.head[2] = writeText(label.buffer, ADVICE_AT, ADVICE, ADVICE_TEXT);
  peerWrites.armed = true;
}

/** The label's index for task `name`, or -1 (registered in the label at first sight). */
export function taskIndex(name: string): number {
  let i = indices.get(name);
  if (i === undefined) {
    i = indices.size < TASKS ? indices.size : -1;
    indices.set(name, i);
    if (i >= 0) new Uint8Array(label!.buffer, NAME_LENGTH_AT + i, 1)[0] = writeText(label!.buffer, NAMES_AT + i * NAME, NAME, name);
  }
  return i;
}

/** Task `index` runs its synchronous part now (-1: none does). */
export function taskRunning(index: number): void {
  label!.head[0] = index + 1;
}

/** One more (+1) or one fewer (-1) of task `index` waits in an await. */
export function taskSuspended(index: number, change: 1 | -1): void {
  if (index >= 0) label!.suspended[index]! += change;
}
