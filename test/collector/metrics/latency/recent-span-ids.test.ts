import { describe, expect, it } from 'vitest';
import { RecentSpanIds } from '../../../../collector/metrics/latency/recent-span-ids.js';

describe('RecentSpanIds', () => {
  it.each([
    { capacity: 8, offered: ['a', 'b', 'a'], fresh: [true, true, false] },
    // After capacity/2 = 2 newer ids, "a" is still remembered (previous generation)…
    { capacity: 4, offered: ['a', 'b', 'c', 'd', 'a'], fresh: [true, true, true, true, false] },
    // …and after two full generations it is forgotten.
    { capacity: 4, offered: ['a', 'b', 'c', 'd', 'e', 'a'], fresh: [true, true, true, true, true, true] },
  ])('capacity $capacity: $offered → $fresh', ({ capacity, offered, fresh }) => {
    const ids = new RecentSpanIds(capacity);
    expect(offered.map((id) => ids.add(id))).toEqual(fresh);
  });

  it('forgets everything on clear', () => {
    const ids = new RecentSpanIds(10);
    ids.add('a');
    ids.clear();
    expect(ids.add('a')).toBe(true);
  });
});
