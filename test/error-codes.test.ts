// One list of error codes: every 'ERR_…' literal in src/ is in ErrorCodes,
// every code listed there is used somewhere in src/, and the README's table
// shows each one.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCodes } from '../src/errors.js';
import { codeLiterals, root, sourceFiles } from './helpers/source-scan.js';

const used = sourceFiles().flatMap(codeLiterals);

t.test('every code used in src/ is listed', async (t) => {
  for (const s of used) t.ok(Object.hasOwn(ErrorCodes, s.what), `${s.what} (${s.file}:${s.line}) is in ErrorCodes`);
});

t.test('every listed code is used', async (t) => {
  const names = new Set(used.map((s) => s.what));
  for (const code of Object.keys(ErrorCodes)) t.ok(names.has(code), `${code} is used in src/`);
});

t.test('each code has a one-line meaning, and a row in the README', async (t) => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  for (const [code, meaning] of Object.entries(ErrorCodes)) {
    t.ok(meaning.length > 0 && !meaning.includes('\n'), `${code}: one line`);
    t.match(readme, new RegExp(`^\\| \`${code}\` \\|`, 'm'), `${code} has a row`);
  }
});
