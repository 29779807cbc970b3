// Each rank reports node's own options and its heap limit.
import { getHeapStatistics } from 'node:v8';
import { init, world } from '../../src/mpi.js';
import { record } from './lib.js';

init();
record({ rank: world().rank, execArgv: process.execArgv, heapLimitMiB: Math.round(getHeapStatistics().heap_size_limit / 2 ** 20), args: process.argv.slice(2) });
