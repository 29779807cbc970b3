// The unbalanced tree of the UTS benchmark, binomial kind: the root has
// `rootChildren` children; every other node has `m` children with probability
// `q` and none otherwise (q·m just under 1: a tree whose subtrees differ in
// size by orders of magnitude, so only stealing balances it). A node's
// children and their count come from a hash of the node, so every run and
// every rank sees the same tree; `rounds` of hashing stand for the work per
// node (UTS hashes with SHA-1).
export const UTS = { root: 0x2545f491, rootChildren: 2000, q: 0.499, m: 2, rounds: 64 };

function mix(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** The node's k-th child. */
export function utsChild(node: number, k: number): number {
  return mix(node + Math.imul(k + 1, 0x9e3779b1));
}

/** How many children the node has (the hashing rounds are the node's work). */
export function utsChildren(node: number, depth: number): number {
  if (depth === 0) return UTS.rootChildren;
  let h = node;
  for (let r = 0; r < UTS.rounds; r++) h = mix(h + r);
  return h / 2 ** 32 < UTS.q ? UTS.m : 0;
}
