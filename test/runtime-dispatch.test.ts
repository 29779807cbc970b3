// Message dispatch: each kind reaches the one part that registered it; a
// kind nobody registered is refused, counted and reported once per kind.
import t from 'tap';
import { Dispatch, Arrival } from '../src/runtime/dispatch.js';
import { zeroCounters } from '../src/runtime/counters.js';
import { WireError } from '../src/errors.js';
import type { Row } from '../src/runtime/link.js';

const row = (kind: number): Row => ({ kind, rank: 1, id: 2, aux: 3, name: '', value: undefined, hasValue: false });

t.test('rows go to their kind\'s handler, and what they brought adds up', async (t) => {
  const counters = zeroCounters();
  const reports: WireError[] = [];
  const d = new Dispatch(counters, (e) => reports.push(e));
  const seen: string[] = [];
  d.on(1, (r, source) => (seen.push(`one ${r.id} from ${source}`), Arrival.Useful));
  d.on(2, () => (seen.push('two'), Arrival.Useful | Arrival.Settled));
  d.on(3, () => (seen.push('three'), Arrival.Chatter));
  d.deliver(row(3), 0);
  t.equal(d.brought, 0);
  d.deliver(row(1), 4);
  t.equal(d.brought, Arrival.Useful);
  d.deliver(row(2), 4);
  t.equal(d.brought, Arrival.Useful | Arrival.Settled);
  d.reset();
  t.equal(d.brought, 0);
  d.on(4, () => Arrival.Settled);
  d.deliver(row(4), 0);
  d.deliver(row(1), 0);
  d.deliver(row(3), 0);
  t.equal(d.brought, Arrival.Useful | Arrival.Settled, 'flags add up, a later row clears none');
  d.reset();
  t.same(seen, ['three', 'one 2 from 4', 'two', 'one 2 from 0', 'three']);
  t.same(reports, []);
  t.equal(counters.unknownMessages, 0);
});

t.test('an unknown kind is refused: counted every time, reported once per kind', async (t) => {
  const counters = zeroCounters();
  const reports: WireError[] = [];
  const d = new Dispatch(counters, (e) => reports.push(e));
  d.on(1, () => Arrival.Useful);
  d.deliver(row(99), 3);
  d.deliver(row(99), 3);
  d.deliver(row(0), 5);
  t.equal(counters.unknownMessages, 3);
  t.equal(d.brought, 0, 'a refused row brings nothing');
  t.equal(reports.length, 2);
  t.type(reports[0], WireError);
  t.match(reports[0], { code: 'ERR_UNKNOWN_MESSAGE', sender: 3, message: /rank 3 .* kind 99/ });
  t.match(reports[1], { code: 'ERR_UNKNOWN_MESSAGE', sender: 5, message: /kind 0/ });
});

t.test('a kind has one owner', async (t) => {
  const d = new Dispatch(zeroCounters(), () => {});
  d.on(7, () => 0);
  t.throws(() => d.on(7, () => 0), { code: 'ERR_RUNTIME_STATE', message: /kind 7 has two handlers/ });
});
