// Partials and results through JSON (the CLI's cache, the queue's results):
// what goes in comes out, bigints, bytes and an array's undefined elements
// included (a syscall's omitted argument is not one decoded at return).
import { describe, expect, it } from 'vitest';
import { decodeAnalysisJson, encodeAnalysisJson } from './analysis';

describe('analysis JSON', () => {
  it('round-trips bigints, bytes, nulls and undefined array elements as they were', () => {
    const value = { tick: 48722894n, raw: [1n, 2n ** 64n - 1n], data: new Uint8Array([0, 255, 10]), text: ['a', null, undefined, 'b', undefined], nested: [[undefined], { x: null }] };
    const back = decodeAnalysisJson(encodeAnalysisJson(value)) as typeof value;
    expect(back).toEqual(value);
    expect(back.text).toHaveLength(5);
    expect(2 in back.text && back.text[2] === undefined && back.text[1] === null).toBe(true);
    expect(back.text.filter((t) => t !== undefined)).toEqual(['a', null, 'b']);
  });
});
