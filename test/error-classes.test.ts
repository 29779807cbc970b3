// Every error taskloaf throws carries a code: no plain Error is thrown, and
// no TypeError/RangeError... is made, anywhere in src/. A new site fails.
import t from 'tap';
import { plainErrors, sourceFiles } from './helpers/source-scan.js';

t.test('errors without a code: none in src/', async (t) => {
  const found: string[] = [];
  for (const file of sourceFiles()) for (const s of plainErrors(file)) found.push(`${s.file}:${s.line}: new ${s.what}(...)`);
  t.same(found, [], 'throw a TaskloafError subclass with a code');
});
