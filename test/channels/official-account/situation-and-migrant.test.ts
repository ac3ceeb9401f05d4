import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOaClient, type OaClient } from '../../support/oa-client.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';

/**
 * A migrant worker through the real Official Account webhook: registration does not ask 在外地务工 twice,
 * the card he lost is filed without a self-service push and without the materials of another case, and
 * 不是这件事 offers the next-best matches of his words.
 */

const TOKEN = 'oaSituationToken3';
let app: TestApp;
let oa: OaClient;
beforeAll(async () => {
  app = await startTestApp({ env: { WECHAT_OA_TOKEN: TOKEN } });
  oa = createOaClient(app.daiban.server, TOKEN, () => app.clock.now);
});
afterAll(async () => {
  await app.close();
});

const rows = <T>(sql: string, ...params: unknown[]) => app.daiban.database.sqlite.prepare<unknown[], T>(sql).all(...params);
const OPEN_ID = 'oMigrantCard000000000000001';

describe('a migrant worker on the Official Account', () => {
  it('registers as living away and is asked about his family situation without 在外地务工', async () => {
    await oa.event(OPEN_ID, 'subscribe');
    await oa.text(OPEN_ID, '同意');
    await oa.text(OPEN_ID, '王大勇');
    await oa.text(OPEN_ID, '石桥村');
    await oa.text(OPEN_ID, '在外地');
    const situation = await oa.text(OPEN_ID, '13800003333');
    expect(situation).toContain('留守老人、妇女或儿童');
    expect(situation).not.toContain('务工');
    expect(await oa.text(OPEN_ID, '3')).toContain('登记好了');
    const [person] = rows<{ tags: string }>(
      "SELECT p.tags FROM channel_identities i JOIN people p ON p.id = i.person_id WHERE i.channel = 'official-account' AND i.external_id = ?",
      OPEN_ID,
    );
    expect(JSON.parse(person?.tags ?? '[]')).toEqual(expect.arrayContaining(['migrant', 'left_behind']));
  });

  it('offers the next-best matches when the guide is not the right item', async () => {
    await oa.text(OPEN_ID, '户口本');
    const next = await oa.text(OPEN_ID, '不是这件事，重新选');
    expect(next).toContain('1. 出生登记');
    expect(next).toContain('0. 都不是，按类别找');
    await oa.text(OPEN_ID, '取消');
  });

  it('files a lost card without a self-service push and without the old card on the notice', async () => {
    await oa.text(OPEN_ID, '社保卡丢了');
    expect(await oa.text(OPEN_ID, '1')).toContain('给谁办');
    await oa.text(OPEN_ID, '1');
    await oa.text(OPEN_ID, '同意');
    const notice = await oa.text(OPEN_ID, '同意');
    expect(notice).toContain('【一次性告知】');
    expect(notice).not.toContain('原社会保障卡');
    await oa.text(OPEN_ID, '知道了');
    expect(await oa.text(OPEN_ID, '确认提交')).toContain('回执号');
    const [stored] = rows<{ items: string }>(
      "SELECT n.items FROM one_time_notices n JOIN errands e ON e.id = n.errand_id WHERE e.item_id = 'social-security-card' AND n.kind = 'intake'",
    );
    const names = (JSON.parse(stored?.items ?? '[]') as { name: string }[]).map((m) => m.name);
    expect(names).toContain('居民身份证');
    expect(names).not.toContain('原社会保障卡');
    const [event] = rows<{ data: string }>(
      "SELECT ev.data FROM errand_events ev JOIN errands e ON e.id = ev.errand_id WHERE e.item_id = 'social-security-card' AND ev.type = 'request'",
    );
    expect(JSON.parse(event?.data ?? '{}')).toMatchObject({ situation: 'lost' });
  });
});
