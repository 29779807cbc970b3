// What every part of one rank's runtime shares: who it is, its counters, its
// way out, and whether the job has ended here.
import type { RuntimeCounters } from './counters.js';
import type { Outbound } from './outbound.js';

export interface RankContext {
  readonly rank: number;
  readonly size: number;
  readonly host: string;
  readonly counters: RuntimeCounters;
  readonly out: Outbound;
  /** Asks the progress engine for a turn soon (new work, or rows to send). */
  wake(): void;
  /** Set at shutdown: nothing more runs, nothing more is sent but the end-of-job messages. */
  stopped: boolean;
}
