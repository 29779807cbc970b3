import t from 'tap';
import { join } from 'node:path';
import { runCommand } from '../src/launch/run.js';
import { simulatedNodes } from '../src/runtime/world.js';
import { root, runRanks } from './helpers/ranks.js';

t.test('--simulate-nodes splits one machine into nodes', async (t) => {
  for (const [np, k, nodes] of [[4, 2, [0, 0, 1, 1]], [4, 4, [0, 1, 2, 3]], [3, 2, [0, 0, 1]]] as const) {
    const r = runRanks('placement.ts', np, { simulateNodes: k, tcp: true });
    t.equal(r.code, 0, r.stderr);
    const byRank = [...r.records].sort((a, b) => Number(a.rank) - Number(b.rank));
    t.same(byRank.map((x) => x.node), nodes, `-n ${np} --simulate-nodes ${k}`);
    for (const node of new Set(nodes)) {
      const members = byRank.filter((x) => x.node === node);
      t.same(members.map((x) => x.localRank), members.map((_, i) => i), `node ${node}: local ranks from 0`);
    }
  }
});

t.test('bad node counts are refused, naming the option', async (t) => {
  const script = join(root, 'test', 'ranks', 'world.ts');
  t.throws(() => runCommand({ np: 2, simulateNodes: 0, script }), { code: 'ERR_INVALID_OPTION', message: /--simulate-nodes/ });
  t.throws(() => runCommand({ np: 2, simulateNodes: 3, script }), { code: 'ERR_INVALID_OPTION' });
  t.equal(simulatedNodes(4, {}), null);
  t.equal(simulatedNodes(4, { TASKLOAF_NODES: '2' }), 2);
  t.equal(simulatedNodes(2, { TASKLOAF_NODES: '8' }), 2, 'never more nodes than ranks');
  t.throws(() => simulatedNodes(4, { TASKLOAF_NODES: 'two' }), { code: 'ERR_INVALID_ENV', message: /TASKLOAF_NODES/ });
});
