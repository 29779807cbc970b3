// Every rank throws while the program loads, before run(): the same error
// on every rank, which the job must report once.
import { run } from '../../src/index.js';

throw new Error('config missing on purpose');
await run(async () => 1);
