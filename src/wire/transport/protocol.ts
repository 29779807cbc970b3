// What the sending and receiving halves of the transport agree on: the MPI
// tags of its communicator, the row kind it keeps for itself, and the
// counters both keep.

/** Row kind the transport keeps for itself: "I no longer view your block". */
export const RELEASE = 255;

// Frames carrying payload bytes use their own tag so the receiver knows,
// before receiving, to put them in its arena. Both are probed with ANY_TAG,
// which keeps the order of one sender's frames. Pieces that follow a frame
// have a tag of their own, received while that frame is opened.
export const TAG_PLAIN = 1;
export const TAG_PAYLOAD = 2;
export const TAG_PIECE = 3;

export interface TransportStats {
  framesSent: number;
  framesReceived: number;
  rowsSent: number;
  rowsReceived: number;
  /** Payload bytes copied into the arena at the sender (heap values to a peer of this node). */
  bytesCopied: number;
  /** Payloads sent as block references, and as bytes. */
  byReference: number;
  byBytes: number;
  /** Payload bytes sent as bytes. */
  bytesSent: number;
  malformed: number;
}
