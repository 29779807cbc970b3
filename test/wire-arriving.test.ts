// Bytes still arriving: waited for once, and only when something reads them.
import t from 'tap';
import { tableFromArrays } from 'apache-arrow';
import { arrived, arriving, readable } from '../src/wire/memory/arriving.js';
import { ArrowKind, decodeArrow, encodeArrow } from '../src/wire/values/arrow.js';

t.test('a region is waited for when a read overlaps it, every wait runs once', async (t) => {
  const buf = new Uint8Array(1024);
  const waits: string[] = [];
  arriving(() => waits.push('a'), [buf.subarray(512, 768)]);
  arriving(() => waits.push('b'), [buf.subarray(900, 1000)]);
  readable(buf, 0, 512);
  readable(new Uint8Array(1024), 600, 8);
  t.same(waits, [], 'reads beside the regions, or of other memory, do not wait');
  readable(buf.subarray(500), 20, 4);
  t.same(waits, ['a', 'b'], 'a read inside one region waits for all, in order');
  arrived();
  readable(buf, 512, 8);
  t.same(waits, ['a', 'b'], 'nothing is waited for twice');
});

t.test('an Arrow stream whose body is arriving is built first, checked once the body is there', async (t) => {
  const table = tableFromArrays({ x: new Float64Array(1 << 14).map((_, i) => i) });
  const stream = new Uint8Array(Buffer.concat(encodeArrow(table).chunks));
  decodeArrow(stream, ArrowKind.Table); // its schema is known from now on
  const landing = new Uint8Array(stream.byteLength);
  // The metadata is there, the column is not: it lands when waited for.
  const bodyAt = stream.byteLength - (1 << 17) - 8;
  landing.set(stream.subarray(0, bodyAt));
  landing.set(stream.subarray(stream.byteLength - 8), stream.byteLength - 8);
  let waited = 0;
  arriving(() => {
    waited++;
    landing.set(stream.subarray(bodyAt, bodyAt + (1 << 17)), bodyAt);
  }, [landing.subarray(bodyAt, bodyAt + (1 << 17))]);
  const back = decodeArrow(landing, ArrowKind.Table) as typeof table;
  t.equal(waited, 1, 'the body was waited for once');
  t.equal(back.getChild('x')!.get(12345), 12345, 'and read after it came');
  // Metadata in a region still arriving is waited for before it is read.
  const meta = new Uint8Array(stream.byteLength);
  meta.set(stream.subarray(64), 64);
  arriving(() => meta.set(stream.subarray(0, 64)), [meta.subarray(0, 64)]);
  t.equal((decodeArrow(meta, ArrowKind.Table) as typeof table).numRows, 1 << 14);
});
