import { describe, expect, it } from 'vitest';
import { createFriendQuota } from '../../../src/channels/wechaty/friend-quota.ts';

describe('friend requests accepted per day', () => {
  it('takes up to the cap per Shanghai day and starts again the next day', () => {
    const quota = createFriendQuota(2);
    const morning = Date.parse('2026-12-01T09:00:00+08:00');
    expect([quota.take(morning), quota.take(morning + 1000), quota.take(morning + 2000)]).toEqual([true, true, false]);
    // 23:59 the same day: still capped; 00:01 the next day: open again.
    expect(quota.take(Date.parse('2026-12-01T23:59:00+08:00'))).toBe(false);
    expect(quota.take(Date.parse('2026-12-02T00:01:00+08:00'))).toBe(true);
  });

  it('a cap of 0 accepts none', () => {
    expect(createFriendQuota(0).take(Date.now())).toBe(false);
  });
});
