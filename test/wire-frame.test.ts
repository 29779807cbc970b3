import t from 'tap';
import { rng } from './helpers/random.js';
import { WireError } from '../src/errors.js';
import { FrameKind, HEADER_BYTES, layout, SectionKind } from '../src/wire/frame/layout.js';
import { decodeFrame, encodeFrame, type Frame } from './helpers/frames.js';

function randomFrame(rand: () => number, sender: number): Frame {
  const kinds = [SectionKind.Batch, SectionKind.Bytes, SectionKind.BlockRef];
  const sections = Array.from({ length: Math.floor(rand() * 6) }, () => {
    const bytes = new Uint8Array(Math.floor(rand() * (rand() < 0.1 ? 5000 : 40)));
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(rand() * 256);
    return { kind: kinds[Math.floor(rand() * kinds.length)]!, flags: Math.floor(rand() * 65536), bytes };
  });
  return { kind: FrameKind.Tasks, flags: Math.floor(rand() * 65536), sender, sequence: Math.floor(rand() * 2 ** 40), sections };
}

t.test('frames round-trip, with every section 8-aligned and viewed in place', async (t) => {
  const rand = rng(7);
  for (let i = 0; i < 2000; i++) {
    const f = randomFrame(rand, i % 9);
    const bytes = encodeFrame(f);
    const d = decodeFrame(bytes, i % 9);
    if (d.kind !== f.kind || d.flags !== f.flags || d.sequence !== f.sequence || d.sections.length !== f.sections.length) {
      t.fail(`frame ${i}: header differs after the round trip`);
    }
    d.sections.forEach((s, k) => {
      if (s.kind !== f.sections[k]!.kind || s.flags !== f.sections[k]!.flags || !Buffer.from(s.bytes).equals(Buffer.from(f.sections[k]!.bytes))) t.fail(`frame ${i} section ${k} differs`);
      if (s.bytes.byteOffset % 8 !== 0) t.fail(`section ${k} not 8-aligned`);
      if (s.bytes.buffer !== bytes.buffer) t.fail('section copied');
    });
    if (t.counts.fail > 0) break;
  }
  t.equal(t.counts.fail, 0, '2000 random frames round-trip');
  t.same(layout([0, 1, 8, 9]), { offsets: [96, 96, 104, 112], total: 128 });
});

t.test('malformed frames are WireErrors naming the sender', async (t) => {
  const good = encodeFrame({ kind: FrameKind.Tasks, flags: 0, sender: 3, sequence: 1, sections: [{ kind: SectionKind.Bytes, flags: 0, bytes: new Uint8Array(10) }] });
  const mutate = (fn: (b: Uint8Array, v: DataView) => void) => {
    const b = new Uint8Array(good);
    fn(b, new DataView(b.buffer));
    return b;
  };
  const cases: [string, Uint8Array, string][] = [
    ['empty', new Uint8Array(0), 'ERR_WIRE_TRUNCATED'],
    ['short', good.subarray(0, 20), 'ERR_WIRE_TRUNCATED'],
    ['magic', mutate((b) => (b[0] = 0)), 'ERR_WIRE_MAGIC'],
    ['version', mutate((b) => (b[4] = 9)), 'ERR_WIRE_VERSION'],
    ['kind', mutate((b) => (b[5] = 200)), 'ERR_WIRE_KIND'],
    ['sender', mutate((_b, v) => v.setUint32(8, 4, true)), 'ERR_WIRE_SENDER'],
    ['reserved', mutate((b) => (b[14] = 1)), 'ERR_WIRE_RESERVED'],
    ['section count', mutate((_b, v) => v.setUint16(12, 60000, true)), 'ERR_WIRE_SECTIONS'],
    ['length', mutate((_b, v) => v.setUint32(24, 999, true)), 'ERR_WIRE_LENGTH'],
    ['table past end', mutate((_b, v) => v.setUint16(12, 20, true)), 'ERR_WIRE_TRUNCATED'],
    ['section kind', mutate((_b, v) => v.setUint16(HEADER_BYTES, 77, true)), 'ERR_WIRE_SECTION_KIND'],
    ['section misaligned', mutate((_b, v) => v.setUint32(HEADER_BYTES + 8, 52, true)), 'ERR_WIRE_ALIGNMENT'],
    ['section overlaps table', mutate((_b, v) => v.setUint32(HEADER_BYTES + 8, 0, true)), 'ERR_WIRE_OVERLAP'],
    ['section past end', mutate((_b, v) => v.setUint32(HEADER_BYTES + 12, 1000, true)), 'ERR_WIRE_BOUNDS'],
    ['section huge', mutate((_b, v) => v.setUint32(HEADER_BYTES + 12, 0xffffffff, true)), 'ERR_WIRE_BOUNDS'],
    ['unaligned start', new Uint8Array(new Uint8Array(good.length + 1).buffer, 1, good.length), 'ERR_WIRE_ALIGNMENT'],
  ];
  for (const [name, bytes, code] of cases) {
    t.throws(() => decodeFrame(bytes, 3), { code, sender: 3, message: /from rank 3/ }, name);
  }
  t.ok(decodeFrame(good, 3), 'the unmutated frame decodes');
});

t.test(`fuzz: random and mutated frames give a frame or a WireError, never anything else`, async (t) => {
  const iterations = Number(process.env.TASKLOAF_FUZZ ?? 100_000);
  const rand = rng(12345);
  const seeds = Array.from({ length: 64 }, (_, i) => encodeFrame(randomFrame(rand, 5 + (i % 2))));
  let accepted = 0;
  let rejected = 0;
  const started = Date.now();
  for (let i = 0; i < iterations; i++) {
    let input: Uint8Array;
    if (i % 4 === 0) {
      input = new Uint8Array(Math.floor(rand() * 200));
      for (let k = 0; k < input.length; k++) input[k] = Math.floor(rand() * 256);
      if (input.length >= 4 && rand() < 0.5) new DataView(input.buffer).setUint32(0, 0x01464c54, true);
    } else {
      const seed = seeds[Math.floor(rand() * seeds.length)]!;
      input = new Uint8Array(seed);
      const flips = 1 + Math.floor(rand() * 4);
      for (let k = 0; k < flips; k++) {
        const at = Math.floor(rand() * Math.min(input.length, rand() < 0.7 ? 128 : input.length));
        input[at] = rand() < 0.5 ? Math.floor(rand() * 256) : input[at]! ^ (1 << Math.floor(rand() * 8));
      }
      if (rand() < 0.1) input = input.subarray(0, Math.floor((rand() * input.length) / 8) * 8);
    }
    try {
      const f = decodeFrame(input, 5);
      for (const s of f.sections) {
        if (s.bytes.byteOffset + s.bytes.byteLength > input.byteOffset + input.byteLength) throw new Error('section outside the frame');
      }
      accepted++;
    } catch (e) {
      if (!(e instanceof WireError)) {
        t.fail(`input ${i} raised ${(e as Error).name}: ${(e as Error).message}`);
        break;
      }
      rejected++;
    }
  }
  t.equal(accepted + rejected, iterations, `${iterations} inputs: ${accepted} accepted, ${rejected} rejected in ${Date.now() - started} ms`);
  t.ok(rejected > iterations / 2 && accepted > 0, 'both outcomes occur');
});
