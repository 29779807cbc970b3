// What the runtime says to other ranks: one wire row each (kind, rank, id,
// aux, name, value). Rows to one rank leave together as one batch.
export const enum Kind {
  /** Run task `name` with `value` (the arguments); reply to rank `rank`, future `id`. aux: 1 if stolen. */
  Call = 1,
  /** Future `id` of this rank resolved with `value`. */
  Result = 2,
  /** Future `id` of this rank failed; `value` describes the error. */
  Failure = 3,
  /** Rank `rank` has nothing to do: give it some of your stealable tasks. */
  Steal = 4,
  /** End of a steal reply: `aux` tasks were sent before it. */
  StealReply = 5,
  /** main has settled: run nothing more, send nothing more, but keep receiving. */
  Shutdown = 6,
  /** This rank has stopped and every message it sent has been received. */
  Drained = 7,
  /** Every rank has drained: exit. */
  Exit = 8,
  /** Send me (rank `rank`, future `id`) the value of your Ref `aux`. */
  Fetch = 9,
  /** Weight `id` of your Ref `aux` is given back. */
  RefRelease = 10,
  /** Rank `rank` needs more weight for your Ref `aux`. */
  RefRefill = 11,
  /** Weight `id` more for Ref `aux` of rank `rank` (the owner counted it already). */
  RefGrant = 12,
  /** Rank 0 asks, in round `id`: are you idle, and what do you wait for? */
  Probe = 13,
  /** The answer to probe round `id`; `value` is a QuietReport. */
  ProbeReply = 14,
  /** The job's time limit is near (a signal warned rank `rank`): run your time-limit hooks. */
  TimeLimit = 15,
}
