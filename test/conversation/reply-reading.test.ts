import { describe, expect, it } from 'vitest';
import { matchIntent, matchOptionWord, numberOptions, readNumber } from '../../src/conversation/reply-reading.ts';
import { intentSchema } from '../../src/conversation/flow-schema.ts';

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

describe('options and intents', () => {
  const options = numberOptions(
    2,
    [
      { id: 'none', label: 'opt.none', words: ['都不是'], number: 0 },
      { id: 'go', label: 'opt.go', words: ['好的'] },
      { id: 'stop', label: 'opt.stop', words: [] },
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

  const intents = [
    intentSchema.parse({ id: 'help', words: ['帮助'], does: 'help' }),
    intentSchema.parse({ id: 'query', prefixes: ['查询'], receiptNumber: true, does: 'flow:query' }),
    intentSchema.parse({ id: 'complaint', words: ['投诉'], prefixes: ['投诉'], does: 'flow:complaint' }),
  ];

  it('finds intents by whole word, by prefix (keeping the rest) and by a bare receipt number', () => {
    expect(matchIntent('帮助！', intents)?.intent.id).toBe('help');
    expect(matchIntent('查询 DB261201001', intents)).toMatchObject({ intent: { id: 'query' }, rest: 'DB261201001' });
    expect(matchIntent('投诉：代办员不接电话', intents)).toMatchObject({ intent: { id: 'complaint' }, rest: '代办员不接电话' });
    expect(matchIntent('DB261201001', intents)).toMatchObject({ intent: { id: 'query' }, rest: 'DB261201001' });
    expect(matchIntent('我想帮助别人', intents)).toBeNull();
  });
});
