// Synthetic instruction streams for the objdump comparison: every 16-bit
// word, every 32-bit major opcode x funct3 x funct7 with assorted register
// fields (including rs1 = rs2 for fmv/fneg/fabs), every CSR under every
// Zicsr instruction, and random bytes (any length encoding, auipc/lui
// pairs by chance). Deterministic: a fixed-seed xorshift.

function xorshift(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>>= 0);
  };
}

export function sweepBytes(): Uint8Array {
  const out: number[] = [];
  const put16 = (w: number) => out.push(w & 0xff, (w >>> 8) & 0xff);
  const put32 = (w: number) => out.push(w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, w >>> 24);
  const rand = xorshift(0x5eed);
  const regs = [0, 1, 2, 3, 4, 5, 8, 10, 15, 31];
  const reg = (k: number) => (k < 3 ? regs[rand() % regs.length] : rand() % 32);

  for (let w = 0; w < 0x10000; w++) if ((w & 3) !== 3) put16(w);
  for (let op5 = 0; op5 < 32; op5++) {
    if ((op5 & 7) === 7) continue; // 48-bit and longer encodings: the random bytes cover them
    for (let f3 = 0; f3 < 8; f3++) {
      for (let f7 = 0; f7 < 128; f7++) {
        for (let k = 0; k < 6; k++) {
          const rs1 = reg(k);
          const rs2 = k === 5 ? rs1 : reg(k);
          put32(((op5 << 2) | 3 | (reg(k) << 7) | (f3 << 12) | (rs1 << 15) | (rs2 << 20) | (f7 << 25)) >>> 0);
        }
      }
    }
  }
  for (let csr = 0; csr < 4096; csr++) {
    for (const f3 of [1, 2, 3, 5, 6, 7]) {
      for (const [rd, rs1] of [[0, 0], [0, 10], [10, 0], [11, 12]]) put32((0x73 | (rd << 7) | (f3 << 12) | (rs1 << 15) | (csr << 20)) >>> 0);
    }
  }
  for (let i = 0; i < 1 << 19; i++) out.push(rand() & 0xff);
  return new Uint8Array(out);
}
