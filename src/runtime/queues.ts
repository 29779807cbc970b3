// A rank's queued tasks: `fixed` ones must run here (sent here with .on(rank),
// or kept because their arguments cannot travel); `stealable` ones may be
// taken by an idle rank. The rank runs fixed ones first, then its newest
// stealable one.
import { Deque } from './deque.js';

export interface Job {
  name: string;
  args: unknown[];
  /** Who awaits the result, and under which future id. */
  replyTo: number;
  future: number;
}

export class TaskQueues {
  readonly fixed = new Deque<Job>();
  readonly stealable = new Deque<Job>();

  get length(): number {
    return this.fixed.length + this.stealable.length;
  }

  /** The task to run next here. */
  next(): Job | undefined {
    return this.fixed.shift() ?? this.stealable.pop();
  }

  /** Everything queued, removed (shutdown): how many. */
  drop(): number {
    return this.fixed.drain().length + this.stealable.drain().length;
  }
}
