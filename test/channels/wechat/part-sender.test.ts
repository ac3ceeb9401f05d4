import { describe, expect, it } from 'vitest';
import { createPartSender } from '../../../src/channels/wechat/part-sender.ts';

describe('sending a long message in parts', () => {
  it('sends the parts in order and, on a retry after a failed part, only the parts not yet taken', async () => {
    const parts = ['一', '二', '三'];
    const sent: string[] = [];
    let failAt = 1;
    const sender = createPartSender();
    const sendPart = async (part: string, index: number) => {
      if (index === failAt) {
        failAt = -1;
        throw new Error('busy');
      }
      sent.push(part);
    };
    await expect(sender.send('k1', parts, sendPart)).rejects.toThrow('busy');
    expect(sent).toEqual(['一']);
    await sender.send('k1', parts, sendPart);
    expect(sent).toEqual(['一', '二', '三']);
    // Done: the same key starts from the first part again (a new message).
    await sender.send('k1', ['四'], sendPart);
    expect(sent.at(-1)).toBe('四');
  });

  it('forgets a refused message, and keeps at most the given number of half-sent ones', async () => {
    const sender = createPartSender(1);
    const sent: string[] = [];
    const failSecond = async (part: string, index: number) => {
      if (index === 1) throw new Error('refused');
      sent.push(part);
    };
    await expect(sender.send('a', ['a1', 'a2'], failSecond)).rejects.toThrow();
    sender.forget('a');
    await expect(sender.send('a', ['a1', 'a2'], failSecond)).rejects.toThrow();
    expect(sent).toEqual(['a1', 'a1']);
    await expect(sender.send('b', ['b1', 'b2'], failSecond)).rejects.toThrow();
    // 'a' was pushed out by 'b': its retry starts from the first part.
    await sender.send('a', ['a1', 'a2'], async (part) => void sent.push(part));
    expect(sent.slice(-2)).toEqual(['a1', 'a2']);
  });
});
