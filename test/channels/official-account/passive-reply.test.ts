import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { cdata, fitPassiveReply, renderTextReply } from '../../../src/channels/official-account/passive-reply.ts';
import { parsePush } from '../../../src/channels/official-account/xml-message.ts';

const read = (xml: string) => new XMLParser({ parseTagValue: false, trimValues: false }).parse(xml, true) as { xml: Record<string, string> };

describe('passive text reply', () => {
  it('splits "]]>" inside the text so that the CDATA section survives', () => {
    expect(cdata('a]]>b')).toBe('<![CDATA[a]]]]><![CDATA[>b]]>');
    const content = '回复 ]]><script>x</script> 和 ]]>]]> 以及 &amp;';
    const xml = renderTextReply({ toUser: 'o-user', fromUser: 'gh_account', createTime: 1714036504, content });
    expect(xml.match(/<Content>/g)).toHaveLength(1);
    const parsed = read(xml).xml;
    expect(parsed.Content).toBe(content);
    expect(parsed).toMatchObject({ ToUserName: 'o-user', FromUserName: 'gh_account', CreateTime: '1714036504', MsgType: 'text' });
  });

  it('is read back by our own push parser', () => {
    const xml = renderTextReply({ toUser: 'o-user', fromUser: 'gh_account', createTime: 1, content: 'x]]>y' });
    const back = parsePush(xml);
    expect(back.ok && back.push).toMatchObject({ toUser: 'o-user', fromUser: 'gh_account', msgType: 'text', content: 'x]]>y' });
  });
});

describe('fitting the replies into one passive message', () => {
  it('joins several texts with a blank line', () => {
    expect(fitPassiveReply(['第一段', '第二段'])).toEqual({ text: '第一段\n\n第二段', rest: '' });
  });

  it('cuts a long reply at a line boundary below 2,000 bytes and keeps the rest', () => {
    const line = '这是一行说明文字。'.repeat(5); // 45 characters, 135 bytes
    const lines = Array.from({ length: 30 }, (_, i) => `${i + 1}. ${line}`);
    const { text, rest } = fitPassiveReply([lines.join('\n')]);
    expect(Buffer.byteLength(text, 'utf8')).toBeLessThan(2000);
    expect(Buffer.byteLength(text, 'utf8')).toBeGreaterThan(1700);
    expect(lines).toContain(text.split('\n').at(-1));
    expect(`${text}\n${rest}`).toBe(lines.join('\n'));
  });

  it('cuts a reply without line breaks at a whole character', () => {
    const { text, rest } = fitPassiveReply(['字'.repeat(1000)]);
    expect(Buffer.byteLength(text, 'utf8')).toBe(1998);
    expect(text + rest).toBe('字'.repeat(1000));
  });
});
