import { describe, expect, it } from 'vitest';
import { cutText, fitFieldValue } from '../../../src/channels/wechat/field-values.ts';

describe('template field values', () => {
  it.each([
    ['thing', '一二三四五六七八九十一二三四五六七八九十', '一二三四五六七八九十一二三四五六七八九十'],
    ['thing', '一二三四五六七八九十一二三四五六七八九十一', '一二三四五六七八九十一二三四五六七八九…'],
    ['phrase', '已经办好了的', '已经办好了'],
    ['name', '欧阳小花欧阳小花欧阳小花', '欧阳小花欧阳小花欧阳'],
    ['character_string', 'QS-20261201-0001 （石桥村）', 'QS-20261201-0001'],
    ['character_string', 'A'.repeat(40), 'A'.repeat(32)],
    ['number', '共 12 件', '12'],
    ['phone_number', '138 0000 0001', '13800000001'],
    ['thing', '  第一行\n  第二行  ', '第一行 第二行'],
  ] as const)('fits a %s value: %s', (type, value, expected) => {
    expect(fitFieldValue(type, value)).toBe(expected);
  });

  it('never splits an emoji, and counts each of its code points against the limit', () => {
    const family = '👨‍👩‍👧‍👦'; // 7 code points, one grapheme
    const cut = fitFieldValue('thing', `办好了${family}${family}${family}`);
    expect([...cut].length).toBeLessThanOrEqual(20);
    expect(cut).toBe(`办好了${family}${family}…`);
    expect(cutText('ab👍🏽cd', 4, false)).toBe('ab👍🏽');
    expect(cutText('ab👍🏽cd', 3, false)).toBe('ab');
    expect(fitFieldValue('phrase', '👍👍👍👍👍👍')).toBe('👍👍👍👍👍');
  });

  it('gives an empty value for nothing usable and never throws on odd input', () => {
    expect(fitFieldValue('character_string', '全是中文')).toBe('');
    expect(fitFieldValue('thing', '')).toBe('');
    expect(cutText('abc', 0, true)).toBe('');
    expect(fitFieldValue('thing', '\u0000\uD800孤立代理项'.repeat(10)).length).toBeGreaterThan(0);
  });
});
