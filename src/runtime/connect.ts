// The transport of this rank, connected once MPI has started and `world` is known.
import { connectAt, type ConnectOptions, type Connection } from '../wire/transport/connect.js';
import { start } from './world.js';

export type { Connection } from '../wire/transport/connect.js';

/** Starts MPI if needed, then connects this rank's transport, arena and peers. */
export function connect(opts: ConnectOptions): Connection {
  return connectAt(start(), opts);
}
