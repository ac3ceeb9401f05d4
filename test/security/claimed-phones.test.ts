import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMiniProgram, type MiniProgramHarness } from '../support/mini-program.ts';

/**
 * Registering in the mini-program as somebody else: a typed phone is only a claim. It never blocks the
 * real owner's verified-phone link, never shadows the roster person in an agent's lookup, and the
 * claimer gets nothing of hers. A phone WeChat verified for the user is trusted like the roster.
 */

let mp: MiniProgramHarness;
beforeAll(async () => {
  mp = await startMiniProgram();
});
afterAll(async () => {
  await mp.close();
});

const personOf = (openid: string) =>
  mp.app.daiban.database.sqlite
    .prepare<[string], { personId: string | null }>("SELECT person_id AS personId FROM channel_identities WHERE channel = 'mini-program' AND external_id = ?")
    .get(openid)?.personId;

describe('a phone typed at registration', () => {
  it('does not stop the owner linking by her verified phone, nor confuse the agent', async () => {
    // Someone registers as 张秀花 of 石桥村 with her phone (she is in the roster).
    const impostor = await mp.resident('o-impostor-1', { name: '张秀花', villageCode: 'qs-sq', phone: '13900000011' });
    const impostorPerson = personOf('o-impostor-1');
    expect(impostorPerson).not.toBe('zhang');
    expect((await mp.call('GET', '/api/mp/errands', impostor)).json<{ errands: unknown[] }>().errands).toEqual([]);

    // The real 张秀花 opens the mini-program and lets WeChat verify her phone: she is linked to herself.
    const owner = await mp.login('o-owner-1');
    const linked = await mp.call('POST', '/api/mp/phone', owner, { code: mp.api.issuePhoneCode('13900000011') });
    expect(linked.statusCode).toBe(200);
    expect(linked.json()).toMatchObject({ outcome: 'linked', person: { maskedName: '张*花' } });
    expect(personOf('o-owner-1')).toBe('zhang');

    // The agent names her by phone or by name: the roster person, not the claimer.
    const byPhone = await mp.app.say('agent-li', '代办 13900000011 宅基地建房 已签委托书');
    expect(byPhone.join('\n')).toContain('已为张秀花登记代办');
    const byName = await mp.app.say('agent-li', '代办 张秀花 宅基地建房 已签委托书');
    expect(byName.join('\n')).toContain('已为张秀花登记代办');
    const owners = mp.app.daiban.database.sqlite.prepare("SELECT DISTINCT requester_id AS id FROM errands WHERE village_code = 'qs-sq'").all() as {
      id: string;
    }[];
    expect(owners.map((o) => o.id)).toEqual(['zhang']);
  });

  it('is trusted once WeChat verified it for this user', async () => {
    const token = await mp.login('o-verified-1');
    const remembered = await mp.call('POST', '/api/mp/phone', token, { code: mp.api.issuePhoneCode('13700007777') });
    expect(remembered.json()).toMatchObject({ outcome: 'remembered' });
    expect((await mp.call('POST', '/api/mp/registration', token, { name: '郑文', villageCode: 'qs-lw', phone: '13700007777' })).statusCode).toBe(201);
    // A later claim of the same number does not make the verified person ambiguous.
    await mp.resident('o-claimer-2', { name: '郑武', villageCode: 'qs-lw', phone: '13700007777' });
    const other = await mp.login('o-verified-2');
    const again = await mp.call('POST', '/api/mp/phone', other, { code: mp.api.issuePhoneCode('13700007777') });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ outcome: 'linked', person: { maskedName: '郑*' } });
    expect(personOf('o-verified-2')).toBe(personOf('o-verified-1'));
  });
});
