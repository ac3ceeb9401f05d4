import { describe, expect, it } from 'vitest';
import { intentSchema } from '../../src/conversation/flow-schema.ts';
import { compileCue, createIntentReader, CueSyntaxError } from '../../src/conversation/intent-reading.ts';

const intents = [
  intentSchema.parse({ id: 'help', words: ['帮助'], does: 'help' }),
  intentSchema.parse({ id: 'query', prefixes: ['查询'], receiptNumber: true, does: 'flow:query' }),
  intentSchema.parse({ id: 'complaint', words: ['投诉'], prefixes: ['投诉'], cues: ['投诉|举报'], unless: ['不是要投诉'], does: 'flow:complaint' }),
  intentSchema.parse({ id: 'progress', cues: ['办到|弄到 + 哪|啥子', '好没|下来没'], does: 'flow:my_errands' }),
  intentSchema.parse({ id: 'talk', cues: ['找|叫 + 代办员|@agent'], does: 'flow:talk_to_agent' }),
];
const reader = createIntentReader(intents);

describe('reading a global intent', () => {
  it('finds intents by whole word, by prefix (keeping the rest) and by a bare receipt number', () => {
    expect(reader.read('帮助！')).toMatchObject({ intent: { id: 'help' }, by: 'word' });
    expect(reader.read('查询 DB261201001')).toMatchObject({ intent: { id: 'query' }, rest: 'DB261201001', by: 'prefix' });
    expect(reader.read('投诉：代办员不接电话')).toMatchObject({ intent: { id: 'complaint' }, rest: '代办员不接电话', by: 'prefix' });
    expect(reader.read('DB261201001')).toMatchObject({ intent: { id: 'query' }, rest: 'DB261201001', by: 'receipt' });
    expect(reader.read('我想帮助别人')).toBeNull();
  });

  it('reads the meaning: every word set of a cue, anywhere, in any order, keeping the whole message', () => {
    expect(reader.read('我老汉儿的事办到哪了')).toMatchObject({ intent: { id: 'progress' }, rest: '我老汉儿的事办到哪了', by: 'cue' });
    expect(reader.read('哪个时候办到的')).toMatchObject({ intent: { id: 'progress' } });
    expect(reader.read('证办好没得')).toMatchObject({ intent: { id: 'progress' } });
    expect(reader.read('我要投诉李明不来收材料')).toMatchObject({ intent: { id: 'complaint' }, rest: '我要投诉李明不来收材料', by: 'cue' });
    expect(reader.read('办证')).toBeNull();
  });

  it('lets an intent’s unless words veto its cues, but not its words', () => {
    expect(reader.read('我不是要投诉，就问一下')).toBeNull();
    expect(reader.read('投诉')).toMatchObject({ intent: { id: 'complaint' } });
  });

  it('reads @agent as the name of the resident’s agent, and not at all without one', () => {
    expect(reader.read('我想找李明', '李明')).toMatchObject({ intent: { id: 'talk' } });
    expect(reader.read('我想找李明', '孙建国')).toBeNull();
    expect(reader.read('我想找李明')).toBeNull();
    expect(reader.read('帮我找代办员')).toMatchObject({ intent: { id: 'talk' } });
  });

  it('refuses malformed cues when compiled', () => {
    expect(() => compileCue('办到 + ')).toThrow(CueSyntaxError);
    expect(() => compileCue('办到|！ + 哪')).toThrow(CueSyntaxError);
    expect(() => compileCue('找 + @agent李')).toThrow(CueSyntaxError);
    expect(compileCue('办到|弄到 + 哪').sets).toHaveLength(2);
  });
});
