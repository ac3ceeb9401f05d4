import { describe, expect, it } from 'vitest';
import type { StaffMember } from '../../src/app/directory.ts';
import { toStaff } from '../../src/app/notifications.ts';

const member = (id: string, identities: StaffMember['identities']): StaffMember => ({
  id,
  name: id,
  phone: null,
  villageCode: 'qs-sq',
  publicProfile: null,
  identities,
  grants: [],
});

describe('private notifications to staff', () => {
  it('go to the first identity on a real channel, else to the first one, and to nobody without one', () => {
    const staff = [
      member('bound-later', [
        { channel: 'simulator', externalId: 'agent-li' },
        { channel: 'wecom', externalId: 'wc_agent_li' },
      ]),
      member('demo-only', [{ channel: 'simulator', externalId: 'agent-sun' }]),
      member('no-identity', []),
    ];
    const messages = toStaff(staff, '【新事项】', 7, 'k');
    expect(messages.map((m) => [m.channel, m.recipient, m.dedupeKey])).toEqual([
      ['wecom', 'wc_agent_li', 'k-person-bound-later'],
      ['simulator', 'agent-sun', 'k-person-demo-only'],
    ]);
  });
});
