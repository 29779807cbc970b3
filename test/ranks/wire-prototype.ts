// Sends an object parsed from JSON with '__proto__', 'constructor' and
// 'prototype' keys to a task on rank 1, which reports what it saw and sends
// it back; every rank then reports whether Object.prototype was touched.
import { run, task, world, start } from '../../src/index.js';
import { record } from './lib.js';

start();
const describe = (o: Record<string, unknown>) => ({
  keys: Object.keys(o),
  plainProto: Object.getPrototypeOf(o) === Object.prototype,
  inherited: (o.polluted as string | undefined) ?? null,
  ownProto: Object.getOwnPropertyDescriptor(o, '__proto__')?.value ?? null,
});
const echo = task('echo', (o: Record<string, unknown>) => {
  record({ check: 'seen on rank 1', rank: world.rank, ...describe(o) });
  return o;
});

await run(async () => {
  const back = await echo.on(1)(JSON.parse(process.argv[2]!));
  record({ check: 'back on rank 0', ...describe(back) });
});
const probe = {} as Record<string, unknown>;
record({ check: 'Object.prototype', rank: world.rank, polluted: probe.polluted !== undefined || Object.hasOwn(Object.prototype, 'polluted') });
