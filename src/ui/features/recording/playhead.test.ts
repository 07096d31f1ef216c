import { describe, expect, it } from 'vitest';
import { createPlayhead } from './playhead';

describe('the playhead store', () => {
  it('tells its listeners each move at once, not a move to where it is, and none after they leave', () => {
    const playhead = createPlayhead(5n);
    const heard: bigint[] = [];
    const leave = playhead.subscribe(() => heard.push(playhead.get()));
    playhead.set(9n);
    playhead.set(9n);
    playhead.set(2n);
    leave();
    playhead.set(3n);
    expect(heard).toEqual([9n, 2n]);
    expect(playhead.get()).toBe(3n);
  });
});
