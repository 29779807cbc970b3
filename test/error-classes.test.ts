// Every error taskloaf throws carries a code: no plain Error is thrown, and
// no TypeError/RangeError... is made, anywhere in src/ but the sites listed
// here, which are in code other engineers are rewriting now (the runtime and
// the wire decoders, whose RangeErrors the frame decoder turns into
// WireErrors). The list shrinks as they are converted; a new site fails.
import t from 'tap';
import { plainErrors, sourceFiles } from './helpers/source-scan.js';

const pending: Record<string, number> = {
  'src/runtime/refs.ts': 1,
  'src/wire/frame/batch-layout.ts': 8,
  'src/wire/frame/batch.ts': 8,
  'src/wire/frame/layout.ts': 2,
  'src/wire/frame/reader.ts': 1,
  'src/wire/memory/blockref.ts': 3,
  'src/wire/memory/pieces.ts': 6,
  'src/wire/transport/placement.ts': 7,
  'src/wire/transport/send.ts': 1,
  'src/wire/transport/transport.ts': 1,
  'src/wire/values/arrow.ts': 28,
  'src/wire/values/codec.ts': 9,
  'src/wire/values/flatbuf.ts': 9,
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
