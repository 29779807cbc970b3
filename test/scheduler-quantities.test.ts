import t from 'tap';
import { pbsMemory, pbsWalltime } from '../src/schedulers/pbs/quantities.js';
import { parseMemory, parseWalltime } from '../src/schedulers/quantities.js';
import { slurmMemory, slurmWalltime } from '../src/schedulers/slurm/quantities.js';

t.test('walltimes in every accepted form', async (t) => {
  t.equal(parseWalltime('01:30:00'), 5400);
  t.equal(parseWalltime('1:30:00'), 5400);
  t.equal(parseWalltime('100:00:00'), 360000, 'hours past a day');
  t.equal(parseWalltime('2-12:00:00'), 2 * 86400 + 12 * 3600);
  t.equal(parseWalltime('1-06:30'), 86400 + 6 * 3600 + 30 * 60, 'D-HH:MM');
  t.equal(parseWalltime('90m'), 5400);
  t.equal(parseWalltime('2h'), 7200);
  t.equal(parseWalltime('1h30m'), 5400);
  t.equal(parseWalltime('1.5h'), 5400);
  t.equal(parseWalltime('45s'), 45);
  t.equal(parseWalltime('2d'), 172800);
  t.equal(parseWalltime('10 min'), 600);
  t.equal(parseWalltime('1.001s'), 2, 'fractions of a second round up');
});

t.test('walltimes refused, naming the option and the reason', async (t) => {
  const bad: [string, RegExp][] = [
    ['90', /ambiguous: Slurm reads a bare number as minutes, PBS as seconds/],
    ['1.5', /ambiguous/],
    ['1:99', /ambiguous \(MM:SS or HH:MM\?\)/],
    ['1:99:00', /99 minutes/],
    ['1:00:60', /60 seconds/],
    ['1-25:00:00', /25 hours after the day count/],
    ['0:00:00', /longer than zero/],
    ['0m', /longer than zero/],
    ['5 fortnights', /unknown unit 'fortnights'/],
    ['-1h', /not a walltime/],
    ['1h foo', /unknown unit 'foo'|not a walltime/],
    ['', /empty/],
    ['abc', /not a walltime/],
  ];
  for (const [text, why] of bad) {
    t.throws(() => parseWalltime(text), { code: 'ERR_INVALID_OPTION', option: '--time', message: why }, JSON.stringify(text));
  }
  t.throws(() => parseWalltime('90', '--time', 'taskloaf.config.json profile x'), { message: /^--time \(taskloaf\.config\.json profile x\): / });
});

t.test('walltimes written per scheduler', async (t) => {
  t.equal(slurmWalltime(5400), '01:30:00');
  t.equal(slurmWalltime(2 * 86400 + 3 * 3600 + 4 * 60 + 5), '2-03:04:05', 'Slurm counts days');
  t.equal(pbsWalltime(2 * 86400 + 3 * 3600 + 4 * 60 + 5), '51:04:05', 'PBS counts hours only');
  t.equal(pbsWalltime(59), '00:00:59');
});

t.test('memory with units, in powers of 1024', async (t) => {
  t.equal(parseMemory('512M'), 512 * 2 ** 20);
  t.equal(parseMemory('4G'), 4 * 2 ** 30);
  t.equal(parseMemory('4GB'), 4 * 2 ** 30);
  t.equal(parseMemory('4gib'), 4 * 2 ** 30);
  t.equal(parseMemory('1.5T'), 1.5 * 2 ** 40);
  t.equal(parseMemory('100k'), 100 * 1024);
  t.equal(slurmMemory(4 * 2 ** 30), '4G');
  t.equal(slurmMemory(1536 * 2 ** 20), '1536M');
  t.equal(slurmMemory(100 * 1024), '1M', 'rounded up to whole MiB');
  t.equal(slurmMemory(2 ** 40), '1T');
  t.equal(pbsMemory(4 * 2 ** 30), '4gb');
  t.equal(pbsMemory(1536 * 2 ** 20), '1536mb');
  t.equal(pbsMemory(3 * 2 ** 40), '3tb');
});

t.test('memory refused, naming the option', async (t) => {
  const bad: [string, RegExp][] = [
    ['4', /no unit: Slurm reads a bare number as megabytes, PBS as bytes/],
    ['-4G', /negative/],
    ['0G', /more than zero/],
    ['4X', /unknown unit 'X'/],
    ['4 GBs', /unknown unit/],
    ['lots', /not an amount of memory/],
    ['', /not an amount/],
  ];
  for (const [text, why] of bad) {
    t.throws(() => parseMemory(text, '--mem-per-cpu'), { code: 'ERR_INVALID_OPTION', option: '--mem-per-cpu', message: why }, JSON.stringify(text));
  }
});
