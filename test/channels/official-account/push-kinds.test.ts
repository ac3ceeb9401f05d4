import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { photosOf } from '../../../src/db/photo-repository.ts';
import { subscribeCreditsOf } from '../../../src/db/subscribe-credits-repository.ts';
import { createOaClient, type OaClient } from '../../support/oa-client.ts';
import { homesteadAnswers } from '../../support/intake.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';

/** Every kind of Official Account push, through the real webhook, inbound handler and SQLite. */

const TOKEN = 'oaKindsToken7';
let app: TestApp;
let oa: OaClient;
beforeAll(async () => {
  app = await startTestApp({ env: { WECHAT_OA_TOKEN: TOKEN } });
  oa = createOaClient(app.daiban.server, TOKEN, () => app.clock.now);
});
afterAll(async () => {
  await app.close();
});

const row = <T>(sql: string, ...params: unknown[]) => app.daiban.database.sqlite.prepare<unknown[], T>(sql).get(...params);
const personOf = (openId: string) =>
  row<{ id: string; name: string; village_code: string }>(
    "SELECT p.id, p.name, p.village_code FROM channel_identities i JOIN people p ON p.id = i.person_id WHERE i.channel = 'official-account' AND i.external_id = ?",
    openId,
  );

/** Registers a follower by chat, starting from a follow with the given scene; returns the last reply. */
async function register(openId: string, name: string, villageAnswer: () => Promise<string>, scene?: string): Promise<string> {
  const greeting = await oa.event(openId, 'subscribe', scene ? `<EventKey><![CDATA[qrscene_${scene}]]></EventKey><Ticket><![CDATA[t]]></Ticket>` : '');
  expect(greeting).toMatch(/个人信息说明/);
  expect(await oa.text(openId, '同意')).toMatch(/叫什么名字/);
  const afterName = await oa.text(openId, name);
  const living = scene ? afterName : await villageAnswer();
  expect(living).toMatch(/住在村里，还是在外地/);
  await oa.text(openId, '在村里');
  await oa.text(openId, '13800002222');
  return oa.text(openId, '0');
}

describe('Official Account pushes of every kind', () => {
  it('a follow through a village QR code starts registration with the village already chosen', async () => {
    const open = 'oScene0000000000000000001';
    const done = await register(open, '赵桂兰', () => Promise.reject(new Error('not asked')), 'village-qs-sq');
    expect(done).toMatch(/登记好了/);
    expect(done).toMatch(/石桥村/);
    expect(personOf(open)).toMatchObject({ name: '赵桂兰', village_code: 'qs-sq' });
  });

  it('a location answers the village question by its address', async () => {
    const open = 'oLocation00000000000000002';
    await register(open, '钱多多', () =>
      oa
        .push(open, 'location', '<Location_X>30.6</Location_X><Location_Y>104.0</Location_Y><Scale>15</Scale><Label><![CDATA[示范县青山镇白鹤村3组]]></Label>')
        .then((r) => r.reply),
    );
    expect(personOf(open)).toMatchObject({ name: '钱多多', village_code: 'qs-bh' });
  });

  it('a menu click and a voice message are handled as the words they stand for', async () => {
    const open = 'oScene0000000000000000001';
    const typed = await oa.text(open, '我的代办');
    expect(typed).not.toBe('');
    expect(await oa.event(open, 'CLICK', '<EventKey><![CDATA[MENU_MY_ERRANDS]]></EventKey>')).toBe(typed);
    const voice = await oa.push(
      open,
      'voice',
      '<MediaId><![CDATA[v1]]></MediaId><Format><![CDATA[amr]]></Format><Recognition><![CDATA[我的代办。]]></Recognition>',
    );
    expect(voice.reply).toBe(typed);
    const unclear = await oa.push(open, 'voice', '<MediaId><![CDATA[v2]]></MediaId><Format><![CDATA[amr]]></Format><Recognition><![CDATA[]]></Recognition>');
    expect(unclear.reply).toMatch(/没听清/);
  });

  it('a follow and a menu click count as events, typed words as a message (their customer-service allowances differ)', async () => {
    const open = 'oActions00000000000000001';
    const times = () =>
      row<{ message: number | null; event: number | null }>(
        "SELECT last_message_at AS message, last_event_at AS event FROM channel_identities WHERE channel = 'official-account' AND external_id = ?",
        open,
      );
    await oa.event(open, 'subscribe', '');
    const followedAt = app.clock.now;
    expect(times()).toEqual({ message: null, event: followedAt });
    app.clock.now += 60_000;
    await oa.event(open, 'CLICK', '<EventKey><![CDATA[MENU_MY_ERRANDS]]></EventKey>');
    expect(times()).toEqual({ message: null, event: app.clock.now });
    app.clock.now += 60_000;
    await oa.text(open, '你好');
    expect(times()).toEqual({ message: app.clock.now, event: followedAt + 60_000 });
  });

  it('a photo is kept on the open errand by media id and the agent is told; one sent before the errand goes with it', async () => {
    const open = 'oScene0000000000000000001';
    const image = (mediaId: string) =>
      oa.push(open, 'image', `<PicUrl><![CDATA[http://mmbiz.qpic.cn/${mediaId}]]></PicUrl><MediaId><![CDATA[${mediaId}]]></MediaId>`);
    expect((await image('media-before')).reply).toMatch(/先替您留着/);

    let last = await oa.text(open, '宅基地建房');
    for (const answer of homesteadAnswers) last = await oa.text(open, answer);
    const receipt = /DB\d{9,}/.exec(last)?.[0];
    expect(receipt).toBeDefined();
    const kept = await image('media-id-photo-1');
    expect(kept.reply).toContain(receipt);
    const errand = row<{ id: number }>('SELECT id FROM errands WHERE receipt_no = ?', receipt);
    expect(photosOf(app.daiban.database, errand!.id)).toMatchObject([
      { mediaId: 'media-before', channel: 'official-account' },
      { mediaId: 'media-id-photo-1', url: 'http://mmbiz.qpic.cn/media-id-photo-1', channel: 'official-account' },
    ]);
    // The village's agent hears of both privately: with the new errand, then the photo with the name masked.
    const toAgent = (await app.waitForOutbox({ to: 'agent-li' }, 2)).map((m) => m.text).join('\n');
    expect(toAgent).toMatch(new RegExp(`【新代办】${receipt}[\\s\\S]*先发来了1张照片`));
    expect(toAgent).toMatch(new RegExp(`【照片】赵\\*+.*${receipt}`));
  });

  it('a subscribe popup grants one credit per accepted template', async () => {
    const open = 'oScene0000000000000000001';
    const popup =
      '<SubscribeMsgPopupEvent><List><TemplateId><![CDATA[TPL-progress]]></TemplateId><SubscribeStatusString><![CDATA[accept]]></SubscribeStatusString><PopupScene>2</PopupScene></List>' +
      '<List><TemplateId><![CDATA[TPL-other]]></TemplateId><SubscribeStatusString><![CDATA[reject]]></SubscribeStatusString><PopupScene>2</PopupScene></List></SubscribeMsgPopupEvent>';
    expect(await oa.event(open, 'subscribe_msg_popup_event', popup)).toBe('');
    expect(await oa.event(open, 'subscribe_msg_popup_event', popup)).toBe('');
    expect(subscribeCreditsOf(app.daiban.database, 'official-account', open)).toEqual([{ templateId: 'TPL-progress', credits: 2 }]);
  });

  it('unsubscribe anonymises the channel identity; the person and the errand stay; a new follow starts afresh', async () => {
    const open = 'oScene0000000000000000001';
    const person = personOf(open)!;
    const count = (sql: string) => row<{ n: number }>(sql, open)?.n ?? -1;
    expect(count('SELECT count(*) AS n FROM outbox WHERE recipient = ?')).toBeGreaterThan(0);
    // What else names the follower: a UnionID WeChat gave, a customer-service claim.
    app.daiban.database.sqlite.prepare("UPDATE channel_identities SET union_id = 'union-zhao' WHERE external_id = ?").run(open);
    app.daiban.database.sqlite
      .prepare(
        "INSERT INTO official_account_sends (dedupe_key, route, open_id, parts, parts_sent, refused, at) VALUES ('k-zhao', 'customer_service', ?, 1, 1, 0, 0)",
      )
      .run(open);
    expect(await oa.event(open, 'unsubscribe')).toBe('');
    expect(count('SELECT count(*) AS n FROM official_account_sends WHERE open_id = ?')).toBe(0);
    expect(
      row<{ n: number }>(
        "SELECT count(*) AS n FROM channel_identities WHERE union_id = 'union-zhao' OR (external_id LIKE 'gone-%' AND union_checked_at IS NULL)",
      )?.n,
    ).toBe(0);
    expect(count('SELECT count(*) AS n FROM channel_identities WHERE external_id = ?')).toBe(0);
    expect(count('SELECT count(*) AS n FROM outbox WHERE recipient = ?')).toBe(0);
    expect(count('SELECT count(*) AS n FROM subscribe_credits WHERE open_id = ?')).toBe(0);
    expect(row<{ n: number }>('SELECT count(*) AS n FROM errands WHERE requester_id = ?', person.id)?.n).toBe(1);
    expect(row<{ name: string }>('SELECT name FROM people WHERE id = ?', person.id)?.name).toBe('赵桂兰');
    expect(row<{ n: number }>("SELECT count(*) AS n FROM channel_identities WHERE external_id LIKE 'gone-%' AND person_id IS NULL")?.n).toBe(1);
    // Following again is a new contact: the privacy notice and registration again.
    expect(await oa.event(open, 'subscribe')).toMatch(/个人信息说明/);
  });
});
