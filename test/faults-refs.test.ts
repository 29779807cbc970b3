// Use after free through Refs is an error, never a read of reused memory: a
// released Ref refuses get(); a Ref whose value its owner has freed (stale or
// forged) gets a RefError from the owner, on any rank.
import t from 'tap';
import { runRanks } from './helpers/ranks.js';

for (const np of [1, 2, 4]) {
  t.test(`a Ref to a freed value, ${np} rank(s)`, async (t) => {
    const r = runRanks('ref-freed.ts', np);
    t.equal(r.code, 0, r.stderr);
    const by = Object.fromEntries(r.records.map((x) => [x.check, x]));
    t.match(by.owner!.result, { class: 'RefError', code: 'ERR_REF_FREED', message: /Ref 0:\d+ has been freed/ });
    t.match(by.elsewhere!.result, { class: 'RefError', code: 'ERR_REF_FREED', message: /Ref 0:\d+ has been freed/ });
    // On one rank the call runs locally and get() fails inside it; on more, the
    // owner refuses to send it at all. A RefError either way.
    const sent = by['sent by the owner']!.result as { value?: unknown };
    t.match(np === 1 ? sent.value : sent, { class: 'RefError', code: 'ERR_REF_FREED' });
    t.same(by['real one still fine']!.result, { value: [1, 2, 3] });
    t.equal(by['after release']!.code, 'ERR_REF_RELEASED');
  });
}
