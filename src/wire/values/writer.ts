// A growable byte buffer that values, names and bodies are written into;
// its bytes are copied into a frame when the frame is written.

export class Writer {
  buf = Buffer.allocUnsafe(256);
  view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  at = 0;
  ensure(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n));
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.byteLength);
  }
  u8(x: number): void {
    this.ensure(1);
    this.buf[this.at++] = x;
  }
  u32(x: number): void {
    this.ensure(4);
    this.view.setUint32(this.at, x, true);
    this.at += 4;
  }
  f64(x: number): void {
    this.ensure(8);
    this.view.setFloat64(this.at, x, true);
    this.at += 8;
  }
  /** UTF-8 bytes of `s` without a length prefix. */
  raw(s: string): void {
    const len = s.length;
    this.ensure(len * 3);
    let i = 0;
    for (; i < len && i < 64; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      this.buf[this.at + i] = c;
    }
    if (i === len) this.at += len;
    else this.at += this.buf.write(s, this.at, 'utf8');
  }
  str(s: string): void {
    const len = s.length;
    this.ensure(5 + len * 3);
    // Short ASCII strings (keys, names) byte by byte: Buffer#write costs more
    // than the copy for them.
    if (len <= 64) {
      const start = this.at + 4;
      let i = 0;
      for (; i < len; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        this.buf[start + i] = c;
      }
      if (i === len) {
        this.view.setUint32(this.at, len, true);
        this.at = start + len;
        return;
      }
    }
    const n = this.buf.write(s, this.at + 4, 'utf8');
    this.view.setUint32(this.at, n, true);
    this.at += 4 + n;
  }
  bytes(b: Uint8Array): void {
    this.u32(b.byteLength);
    this.ensure(b.byteLength);
    this.buf.set(b, this.at);
    this.at += b.byteLength;
  }
}
