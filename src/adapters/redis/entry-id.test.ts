import { describe, expect, it } from 'vitest';
import { entryId, entryPosition } from './entry-id.js';

describe('stream entry IDs as positions', () => {
  it('keep the order of the IDs and give the ID back; anything else is unknown (-1)', () => {
    const ids = ['1764990000000-0', '1764990000000-1', '1764990000000-4095', '1764990000001-0', '1764990000002-17'];
    const positions = ids.map((id) => entryPosition(id));
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(new Set(positions).size).toBe(ids.length);
    expect(positions.map(entryId)).toEqual(ids);
    expect(entryPosition(Buffer.from('1764990000000-3'))).toBe(positions[0] + 3);
    for (const bad of ['1764990000000-4096', 'x-1', '12', undefined, '9999999999999999-0']) expect(entryPosition(bad)).toBe(-1);
  });
});
