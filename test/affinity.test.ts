import t from 'tap';
import { parseCpuList } from '../src/launch/affinity.js';

t.test('kernel CPU lists', async (t) => {
  t.same(parseCpuList('0-3,8,10-11\n'), [0, 1, 2, 3, 8, 10, 11]);
  t.same(parseCpuList('5'), [5]);
  t.same(parseCpuList(''), []);
});
