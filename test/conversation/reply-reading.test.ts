import { describe, expect, it } from 'vitest';
import { matchOptionLoosely, matchOptionWord, numberOptions, readNumber } from '../../src/conversation/reply-reading.ts';

describe('reading numbers the forgiving way', () => {
  it.each([
    ['1', 1],
    ['１', 1],
    ['①', 1],
    ['一', 1],
    ['两', 2],
    ['第一个', 1],
    ['选2', 2],
    ['回复3', 3],
    ['3号', 3],
    [' 4 ', 4],
    ['十二', 12],
    ['0', 0],
    ['12', 12],
    ['123', null],
    ['一下', null],
    ['好', null],
    ['13812345678', null],
  ])('%j → %j', (text, n) => {
    expect(readNumber(text)).toBe(n);
  });
});

describe('options', () => {
  const options = numberOptions(
    2,
    [
      { id: 'none', label: 'opt.none', words: ['都不是'], number: 0, ack: false },
      { id: 'go', label: 'opt.go', words: ['好的', '👌'], ack: true },
      { id: 'stop', label: 'opt.stop', words: ['不办了', '不'], ack: false },
    ],
    (key) => ({ 'opt.none': '都不是', 'opt.go': '继续办理', 'opt.stop': '先不办了' })[key] ?? key,
  );

  it('numbers list entries first, then options, keeping fixed numbers', () => {
    expect(options.map((o) => [o.id, o.number])).toEqual([
      ['none', 0],
      ['go', 3],
      ['stop', 4],
    ]);
  });

  it('matches an option by its label or one of its words, ignoring spaces and punctuation', () => {
    expect(matchOptionWord('继续 办理！', options)?.id).toBe('go');
    expect(matchOptionWord('好的', options)?.id).toBe('go');
    expect(matchOptionWord('先不办了。', options)?.id).toBe('stop');
    expect(matchOptionWord('继续办理吧', options)).toBeNull();
  });

  it('matches an answer said loosely: words of one option with particles, a 我, a word said twice — never words of two options', () => {
    expect(matchOptionWord('好的吧', options)).toBeNull();
    expect(matchOptionLoosely('好的吧', options)?.id).toBe('go');
    expect(matchOptionLoosely('我不办了嘛', options)?.id).toBe('stop');
    expect(matchOptionLoosely('不了', options)?.id).toBe('stop');
    expect(matchOptionLoosely('好的好的', options)?.id).toBe('go');
    expect(matchOptionLoosely('我', options)).toBeNull();
    expect(matchOptionLoosely('好的不办了', options)).toBeNull();
  });

  it('matches an emoji word by that emoji alone, repeated or with a skin tone', () => {
    expect(matchOptionWord('👌', options)?.id).toBe('go');
    expect(matchOptionWord('👌👌', options)?.id).toBe('go');
    expect(matchOptionWord('👌🏽', options)?.id).toBe('go');
    expect(matchOptionWord('😀', options)).toBeNull();
  });
});
