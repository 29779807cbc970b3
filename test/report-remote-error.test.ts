// A task that throws ends the job with one report that shows where it
// failed (task, rank, host), the program's own lines of the throw and the
// cause chain, and not the runtime's frames.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { root, runRanks } from './helpers/ranks.js';

const file = join(root, 'test', 'ranks', 'report-remote.ts');
const lines = readFileSync(file, 'utf8').split('\n');
const lineOf = (mark: string) => lines.findIndex((l) => l.includes(mark)) + 1;

for (const np of [1, 2]) {
  t.test(`a task failing on rank ${np - 1} of ${np}: the report shows the program's lines and causes`, async (t) => {
    const run = runRanks('report-remote.ts', np);
    t.not(run.code, 0);
    t.equal(run.stderr.split('taskloaf: error in main').length - 1, 1, 'reported once');
    const report = run.stderr.slice(run.stderr.indexOf('taskloaf: error in main'));
    t.match(report, `task 'load' failed on rank ${np - 1} (${hostname()})`, 'task, rank and host');
    t.match(report, `${file}:${lineOf('REPORT-WRAP')}:`, 'the line that threw');
    t.match(report, /\[cause\]: Error: bad row: x,y/, 'the cause');
    t.match(report, `${file}:${lineOf('REPORT-THROW')}:`, "the cause's line");
    t.notMatch(report, join(root, 'src') + '/', "no frame of taskloaf's own");
    t.notMatch(report, join(root, 'dist') + '/', "no frame of taskloaf's own");
    t.notMatch(report, 'node:internal', "no frame of node's own");
  });
}
