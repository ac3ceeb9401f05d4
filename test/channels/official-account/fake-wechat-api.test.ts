import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWeChatApi, type FakeWeChatApi } from '../../support/fake-wechat-api.ts';

/** The fake WeChat API answers template and subscribe sends the way the real one does. */

const APPID = 'wx49f0ab532d5d035a';
const SECRET = 'fakeSecret0123456789abcdef012345';
let fake: FakeWeChatApi;
let token: string;

beforeAll(async () => {
  fake = await startFakeWeChatApi({ appId: APPID, secret: SECRET });
  fake.addTemplate('template_send', 'TPL', { thing1: 'thing', phrase2: 'phrase' });
  fake.addTemplate('subscribe_send', 'SUB', { thing1: 'thing' });
  const r = await post('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: APPID, secret: SECRET, force_refresh: false });
  token = String(r.access_token);
});
afterAll(() => fake.close());

async function post(path: string, body: unknown): Promise<Record<string, unknown>> {
  const r = await fetch(`${fake.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await r.json()) as Record<string, unknown>;
}
const template = (body: unknown) => post(`/cgi-bin/message/template/send?access_token=${token}`, body);
const subscribe = (body: unknown) => post(`/cgi-bin/message/subscribe/bizsend?access_token=${token}`, body);
const good = { touser: 'oUser1', template_id: 'TPL', data: { thing1: { value: '材料已办好' }, phrase2: { value: '已办结' } } };

describe('fake WeChat API: template and subscribe messages', () => {
  it('answers a template message with a msgid, and a repeat of its client_msg_id with the same answer, delivered once', async () => {
    const first = await template({ ...good, client_msg_id: 'k-1' });
    expect(first).toEqual({ errcode: 0, errmsg: 'ok', msgid: expect.any(Number) as number });
    expect(await template({ ...good, client_msg_id: 'k-1' })).toMatchObject({ errcode: 0, msgid: first.msgid });
    expect(fake.deliveredTemplates('template_send').filter((t) => t.touser === 'oUser1')).toEqual([
      { touser: 'oUser1', templateId: 'TPL', data: { thing1: '材料已办好', phrase2: '已办结' } },
    ]);
  });

  it('checks the send like WeChat: token, template id, fields and their lengths', async () => {
    expect(await post('/cgi-bin/message/template/send?access_token=nope', good)).toMatchObject({ errcode: 40001 });
    expect(await template({ ...good, template_id: undefined })).toMatchObject({
      errcode: 40037,
      errmsg: expect.stringMatching(/^invalid template_id/) as string,
    });
    expect(await template({ ...good, touser: '' })).toMatchObject({ errcode: 40003 });
    expect(await template({ ...good, data: { thing1: { value: '一二三四五六七八九十一二三四五六七八九十一' }, phrase2: { value: '好' } } })).toMatchObject({
      errcode: 47003,
      errmsg: 'argument invalid! data.thing1.value exceeds limit',
    });
    expect(await template({ ...good, data: { thing1: { value: '好' } } })).toMatchObject({ errcode: 47003 });
    expect(await template({ ...good, data: { ...good.data, thing9: { value: 'x' } } })).toMatchObject({ errcode: 47003 });
    expect(await subscribe({ touser: 'oUser2', template_id: 'TPL', data: { thing1: { value: 'x' } } })).toMatchObject({ errcode: 40037 });
    expect(await subscribe({ touser: 'oUser2', template_id: 'SUB', data: { thing1: { value: '好' } } })).toEqual({ errcode: 0, errmsg: 'ok' });
  });

  it('answers the injected errcode for the endpoint chosen, then normally', async () => {
    fake.failNext(43101, 1, 'subscribe_send');
    expect(await template({ ...good, touser: 'oUser3' })).toMatchObject({ errcode: 0 });
    expect(await subscribe({ touser: 'oUser3', template_id: 'SUB', data: { thing1: { value: '好' } } })).toMatchObject({
      errcode: 43101,
      errmsg: expect.stringMatching(/^user refuse to accept the msg rid: /) as string,
    });
    expect(await subscribe({ touser: 'oUser3', template_id: 'SUB', data: { thing1: { value: '好' } } })).toMatchObject({ errcode: 0 });
  });
});
