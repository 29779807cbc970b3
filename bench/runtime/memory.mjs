// Resident memory of a rank running a plain JavaScript program (no TypeScript
// loader), once the runtime is up. Prints one JSON line from rank 0.
import { run } from 'taskloaf';

const rss = await run(async () => process.memoryUsage().rss);
if (rss !== undefined) console.log(JSON.stringify({ mode: 'memory', rss }));
