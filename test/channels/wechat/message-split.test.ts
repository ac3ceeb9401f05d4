import { describe, expect, it } from 'vitest';
import { splitMessage } from '../../../src/channels/wechat/message-split.ts';

/** The splitting of long texts into the parts WeChat's APIs take. */

describe('splitting a long text', () => {
  it('cuts at line boundaries into parts of at most 2,000 bytes that join back to the text', () => {
    const lines = Array.from({ length: 60 }, (_, i) => `第${i + 1}行：请携带身份证原件和户口本到村委会办理。`);
    const text = lines.join('\n');
    expect(Buffer.byteLength(text)).toBeGreaterThan(4000);
    const parts = splitMessage(text);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    for (const part of parts) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(2000);
    expect(parts.join('\n')).toBe(text);
    expect(parts.every((p) => p.split('\n').every((line) => lines.includes(line)))).toBe(true);
    expect(splitMessage('短消息')).toEqual(['短消息']);
  });
});
