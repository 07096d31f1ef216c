// Byte arrays: the helpers every runtime shares.

/** The chunks one after the other in one new array. */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const chunk of chunks) length += chunk.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** One char per byte (latin1): bytes as text that round-trips exactly. */
export function latin1FromBytes(bytes: Uint8Array): string {
  let s = '';
  for (let at = 0; at < bytes.length; at += 8192) s += String.fromCharCode.apply(null, bytes.subarray(at, at + 8192) as unknown as number[]);
  return s;
}

/** The bytes of latin1 text (chars above 0xff keep their low byte). */
export function latin1ToBytes(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
}
