import { describe, expect, it } from 'vitest';
import { fieldData, parseMessageTemplates, readMessageTemplates, specFor, type NotificationFacts } from '../../../src/channels/wechat/message-templates.ts';

const facts: NotificationFacts = {
  text: '【代办】您申请的医保缴费证明已经办好，请到村委会领取。',
  kind: 'completed',
  itemName: '城乡居民医疗保险缴费证明开具',
  status: 'completed',
  statusLabel: '已经办好，等代办员把结果带给您',
  receiptNo: 'QS-20261201-0001',
  dueDate: '2026年12月4日',
  villageName: '石桥村',
  now: '2026年12月1日 09:00',
};

describe('WeChat message templates file', () => {
  it('reads template and subscribe entries and picks one per kind, default for the rest', () => {
    const templates = parseMessageTemplates(
      `
template_messages:
  - kinds: [completed]
    template_id: TPL_DONE
    fields:
      thing1: { type: thing, source: item }
      phrase2: { type: phrase, source: status, labels: { completed: 已办好 } }
      character_string3: { type: character_string, source: receipt }
      time4: { type: time, source: due_date }
  - kinds: [default]
    template_id: TPL_ANY
    fields:
      thing1: { type: thing, source: text }
`,
      'test.yaml',
    );
    expect(specFor(templates.template_messages, 'completed')?.template_id).toBe('TPL_DONE');
    expect(specFor(templates.template_messages, 'claimed')?.template_id).toBe('TPL_ANY');
    expect(specFor(templates.subscribe_messages, 'claimed')).toBeUndefined();
    expect(fieldData(specFor(templates.template_messages, 'completed')!.fields, facts)).toEqual({
      thing1: { value: '城乡居民医疗保险缴费证明开具' },
      phrase2: { value: '已办好' },
      character_string3: { value: 'QS-20261201-0001' },
      time4: { value: '2026年12月4日' },
    });
    expect(fieldData({ thing1: { type: 'thing', source: 'receipt' } }, { ...facts, receiptNo: null })).toEqual({ thing1: { value: '-' } });
  });

  it('reports every problem with its place, at once', () => {
    const error = (() => {
      try {
        parseMessageTemplates(
          `
template_messages:
  - kinds: [default]
    template_id: ""
    fields:
      thing1: { type: stuff, source: item }
      thing2: { type: thing }
  - kinds: [default]
    template_id: TPL
    fields: {}
extra: 1
`,
          'bad.yaml',
        );
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(error?.message).toMatch(/^bad\.yaml does not validate:/);
    expect(error?.message).toContain('template_messages.0.template_id: must be the template id from the WeChat platform');
    expect(error?.message).toContain('template_messages.0.fields.thing1.type: must be one of thing');
    expect(error?.message).toContain('template_messages.0.fields.thing2: needs exactly one of source or value');
    expect(error?.message).toContain('template_messages.1.fields: needs at least one field');
    expect(error?.message).toMatch(/\(file\): Unrecognized key: "extra"/);
    expect(() =>
      parseMessageTemplates(
        'subscribe_messages:\n  - { kinds: [claimed], template_id: A, fields: { thing1: { type: thing, source: text } } }\n  - { kinds: [claimed], template_id: B, fields: { thing1: { type: thing, source: text } } }\n',
        'twice.yaml',
      ),
    ).toThrow('subscribe_messages: a kind is listed in two entries');
  });

  it('turns broken YAML into a clear error, and an empty file into no templates', () => {
    expect(() => parseMessageTemplates('template_messages: [', 'x.yaml')).toThrow(/^x\.yaml: not valid YAML/);
    expect(parseMessageTemplates('', 'empty.yaml')).toEqual({ template_messages: [], subscribe_messages: [] });
  });
});

describe('the example templates file', () => {
  it('validates', () => {
    const templates = readMessageTemplates('data/wechat-templates.example.yaml');
    expect(templates.template_messages).toHaveLength(1);
    expect(templates.subscribe_messages).toHaveLength(1);
  });

  it('names a file that cannot be read', () => {
    expect(() => readMessageTemplates('data/no-such-templates.yaml')).toThrow(
      /^WeChat message templates file data\/no-such-templates\.yaml cannot be read: ENOENT/,
    );
  });
});
