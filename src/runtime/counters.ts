// What one rank has done, counted where each part acts; stats() returns them.

/** Per-rank counters (exported through stats()). */
export interface RuntimeCounters {
  /** Tasks spawned on this rank (anywhere, or on a rank with .on(rank)). */
  spawned: number;
  /** Tasks run on this rank. */
  executed: number;
  /** Tasks this rank stole from others, and that others stole from it. */
  stolenIn: number;
  stolenOut: number;
  /** Steal requests sent, and how many came back empty. */
  stealRequests: number;
  stealMisses: number;
  /** Task calls and results sent to and received from other ranks. */
  callsSent: number;
  callsReceived: number;
  resultsSent: number;
  resultsReceived: number;
  /** Queued tasks dropped at shutdown. */
  cancelled: number;
  /** Results and failures that found no future (their call had timed out): dropped. */
  strayResults: number;
  /** Values put on this rank, and freed because no Ref to them is left anywhere. */
  refsPut: number;
  refsFreed: number;
  /** Ref weight messages sent and received (releases, refills). */
  refMessagesSent: number;
  refMessagesReceived: number;
  /** Messages of a kind this rank does not know (another taskloaf version?): refused and reported. */
  unknownMessages: number;
}

export function zeroCounters(): RuntimeCounters {
  return {
    spawned: 0, executed: 0, stolenIn: 0, stolenOut: 0, stealRequests: 0, stealMisses: 0,
    callsSent: 0, callsReceived: 0, resultsSent: 0, resultsReceived: 0, cancelled: 0, strayResults: 0,
    refsPut: 0, refsFreed: 0, refMessagesSent: 0, refMessagesReceived: 0, unknownMessages: 0,
  };
}
