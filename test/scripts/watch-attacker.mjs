// Run as another user than the job's: finds the channels of job JOB (its id
// is public: the scheduler's) listed in /proc/net/unix, in any form, and
// attacks them. Prints one JSON line per step.
//   squat JOB        binds the job's abstract name first; drops whoever connects
//   hello JOB PID    says a rank's hello naming PID, then stays connected
//   warned JOB PID   the same, then on a line on stdin floods `warned` lines
//   nonl JOB         sends 64 MiB without a newline
import { createConnection, createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const [mode, job, arg] = process.argv.slice(2);
const say = (o) => process.stdout.write(JSON.stringify(o) + '\n');

if (mode === 'squat') {
  let dropped = 0;
  const server = createServer((s) => {
    dropped++;
    s.destroy();
    say({ dropped });
  });
  server.on('error', (e) => say({ error: e.code }));
  server.listen(`\0taskloaf-${job}-watch`, () => say({ bound: `taskloaf-${job}-watch` }));
} else {
  // Listening sockets (flag __SO_ACCEPTCON) named after the job.
  const found = readFileSync('/proc/net/unix', 'utf8')
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 8 && f[3] === '00010000' && f[7].includes(`taskloaf-${job}-`))
    .map((f) => (f[7].startsWith('@') ? '\0' + f[7].slice(1).replace(/@+$/, '') : f[7]));
  const reached = [];
  const refused = [];
  await Promise.all(
    found.map(
      (name) =>
        new Promise((done) => {
          const s = createConnection(name);
          s.on('error', (e) => {
            refused.push(e.code);
            done();
          });
          s.on('connect', () => {
            reached.push(s);
            done();
          });
        }),
    ),
  );
  const hello = (pid) => `start 0 ${pid} evil\nhello 0 0 ${pid} evil\n`;
  if (mode === 'nonl') {
    let dropped = false;
    let wrote = 0;
    const chunk = Buffer.alloc(1 << 20, 'x');
    await Promise.all(
      reached.map(
        (s) =>
          new Promise((done) => {
            s.on('close', () => {
              dropped = true;
              done();
            });
            const next = () => {
              if (wrote >= 64 << 20 || s.destroyed) return done();
              wrote += chunk.length;
              s.write(chunk, (err) => (err ? done() : next()));
            };
            next();
          }),
      ),
    );
    say({ found: found.length, reached: reached.length, refused, wrote, dropped });
  } else {
    for (const s of reached) s.write(hello(arg));
    say({ found: found.length, reached: reached.length, refused });
    if (mode === 'warned') {
      const rl = createInterface({ input: process.stdin });
      rl.once('line', async () => {
        const flood = 'warned\n'.repeat(10_000);
        await Promise.all(reached.map((s) => new Promise((done) => s.write(flood, () => done()))));
        say({ flooded: reached.length });
      });
    }
  }
}
