// Every error taskloaf throws carries a code: no plain Error is thrown, and
// no TypeError/RangeError... is made, anywhere in src/ but the sites listed
// here, which are in code other engineers are rewriting now (the runtime and
// the wire decoders, whose RangeErrors the frame decoder turns into
// WireErrors). The list shrinks as they are converted; a new site fails.
import t from 'tap';
import { plainErrors, sourceFiles } from './helpers/source-scan.js';

const pending: Record<string, number> = {
  'src/runtime/refs.ts': 1,
  'src/wire/arrow.ts': 28,
  'src/wire/batch.ts': 14,
  'src/wire/blockref.ts': 3,
  'src/wire/flatbuf.ts': 9,
  'src/wire/frame.ts': 2,
  'src/wire/inbox.ts': 1,
  'src/wire/pieces.ts': 6,
  'src/wire/transport.ts': 9,
  'src/wire/values.ts': 9,
};

t.test('errors without a code: none outside the pending sites', async (t) => {
  const found: Record<string, number> = {};
  for (const file of sourceFiles()) {
    const sites = plainErrors(file);
    if (sites.length) found[file] = sites.length;
    if (!(file in pending)) for (const s of sites) t.fail(`${s.file}:${s.line}: new ${s.what}(...) — throw a TaskloafError subclass with a code`);
  }
  // More than listed: a new site. Fewer: one was converted; lower the count.
  t.same(found, pending, 'plain errors per file');
});
