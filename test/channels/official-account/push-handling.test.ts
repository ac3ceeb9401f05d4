import { describe, expect, it } from 'vitest';
import { pushAction, villageOfScene } from '../../../src/channels/official-account/push-handling.ts';
import { parsePush } from '../../../src/channels/official-account/xml-message.ts';

const menu = new Map([['MENU_MY_ERRANDS', '我的代办']]);
const push = (msgType: string, inner: string, msgId: string | null = '24000000000000077') =>
  `<xml><ToUserName><![CDATA[gh_daiban]]></ToUserName><FromUserName><![CDATA[oKind0001]]></FromUserName>` +
  `<CreateTime>1764550800</CreateTime><MsgType><![CDATA[${msgType}]]></MsgType>${inner}${msgId ? `<MsgId>${msgId}</MsgId>` : ''}</xml>`;
const event = (name: string, inner = '') => push('event', `<Event><![CDATA[${name}]]></Event>${inner}`, null);
const act = (xml: string) => {
  const parsed = parsePush(xml);
  if (!parsed.ok) throw new Error(parsed.reason);
  return pushAction(parsed.push, 7, menu);
};
const messageOf = (xml: string) => {
  const action = act(xml);
  if (action.kind !== 'message') throw new Error(`expected a message, got ${action.kind}`);
  return action.message;
};

describe('what each Official Account push means', () => {
  it('a voice message is its recognition text; without one the person is asked to say it again', () => {
    const voice = (recognition: string) =>
      push('voice', `<MediaId><![CDATA[media-v1]]></MediaId><Format><![CDATA[amr]]></Format><Recognition><![CDATA[${recognition}]]></Recognition>`);
    expect(messageOf(voice('我要办医保')).text).toBe('我要办医保');
    expect(act(voice(''))).toEqual({ kind: 'say', template: 'photo.voice_unclear' });
  });

  it('an image is a photo by media id; a location is its address', () => {
    const image = messageOf(push('image', '<PicUrl><![CDATA[http://mmbiz.qpic.cn/p1]]></PicUrl><MediaId><![CDATA[media-i1]]></MediaId>'));
    expect(image.photo).toEqual({ mediaId: 'media-i1', url: 'http://mmbiz.qpic.cn/p1' });
    expect(image.messageId).toBe('24000000000000077');
    const location = push('location', '<Location_X>30.61</Location_X><Location_Y>104.06</Location_Y><Scale>15</Scale><Label><![CDATA[石桥镇双桥村]]></Label>');
    expect(messageOf(location).text).toBe('石桥镇双桥村');
    expect(act(push('image', ''))).toEqual({ kind: 'say', template: 'photo.unreadable' });
  });

  it('a follow opens the conversation, with the village of a village QR code', () => {
    expect(messageOf(event('subscribe')).opened).toEqual({ villageCode: null });
    expect(messageOf(event('subscribe', '<EventKey><![CDATA[qrscene_village-qs-sq]]></EventKey><Ticket><![CDATA[t1]]></Ticket>')).opened).toEqual({
      villageCode: 'qs-sq',
    });
    expect(messageOf(event('SCAN', '<EventKey><![CDATA[village-qs-lw]]></EventKey>')).opened).toEqual({ villageCode: 'qs-lw' });
    // Events have no MsgId: sender + CreateTime (+ the event, so a follow and a click of one second differ) key the de-duplication.
    expect(messageOf(event('subscribe')).messageId).toBe('oKind00011764550800subscribe');
    expect(messageOf(event('CLICK', '<EventKey><![CDATA[MENU_MY_ERRANDS]]></EventKey>')).messageId).toBe('oKind00011764550800click');
    expect(villageOfScene('qrscene_something-else')).toBeNull();
    expect(villageOfScene('village-a b')).toBeNull();
  });

  it('a menu click is the words of its button; an unknown key is ignored', () => {
    expect(messageOf(event('CLICK', '<EventKey><![CDATA[MENU_MY_ERRANDS]]></EventKey>')).text).toBe('我的代办');
    expect(act(event('CLICK', '<EventKey><![CDATA[OLD_KEY]]></EventKey>'))).toMatchObject({ kind: 'ignore' });
  });

  it('unsubscribe forgets; a subscribe popup grants credits for the accepted templates only', () => {
    expect(act(event('unsubscribe'))).toEqual({ kind: 'forget', openId: 'oKind0001' });
    const popup = event(
      'subscribe_msg_popup_event',
      '<SubscribeMsgPopupEvent><List><TemplateId><![CDATA[TPL-a]]></TemplateId><SubscribeStatusString><![CDATA[accept]]></SubscribeStatusString><PopupScene>2</PopupScene></List>' +
        '<List><TemplateId><![CDATA[TPL-b]]></TemplateId><SubscribeStatusString><![CDATA[reject]]></SubscribeStatusString><PopupScene>2</PopupScene></List></SubscribeMsgPopupEvent>',
    );
    expect(act(popup)).toEqual({ kind: 'credits', openId: 'oKind0001', templateIds: ['TPL-a'] });
    const single = event(
      'subscribe_msg_popup_event',
      '<SubscribeMsgPopupEvent><List><TemplateId>TPL-c</TemplateId><SubscribeStatusString>accept</SubscribeStatusString></List></SubscribeMsgPopupEvent>',
    );
    expect(act(single)).toEqual({ kind: 'credits', openId: 'oKind0001', templateIds: ['TPL-c'] });
  });

  it('other kinds: a short answer for media the bot cannot read, silence for other events', () => {
    expect(act(push('video', '<MediaId>m</MediaId>'))).toEqual({ kind: 'say', template: 'photo.unreadable' });
    expect(act(push('link', '<Title>t</Title>'))).toEqual({ kind: 'say', template: 'photo.unreadable' });
    expect(act(event('VIEW', '<EventKey>https://example.org</EventKey>'))).toMatchObject({ kind: 'ignore' });
    expect(act(event('SOMETHING_NEW'))).toMatchObject({ kind: 'ignore', note: 'unknown event something_new' });
    expect(act(push('hologram', ''))).toMatchObject({ kind: 'ignore' });
  });
});
