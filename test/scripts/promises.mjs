// What the caller's side costs by itself: N promises, each with a reaction,
// created and resolved in one synchronous loop (plain Node, no taskloaf).
const n = Number(process.argv[2]);
let done = 0;
for (let i = 0; i < n; i++) {
  let resolve;
  const p = new Promise((r) => (resolve = r));
  void p.then(() => done++);
  resolve(1);
}
await new Promise((r) => setTimeout(r, 10));
process.stdout.write(JSON.stringify({ n, done, peak: process.resourceUsage().maxRSS * 1024 }) + '\n');
