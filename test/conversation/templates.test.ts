import { describe, expect, it } from 'vitest';
import { contentDirs } from '../../src/compose.ts';
import { loadContent } from '../../src/content/load-content.ts';
import { createTemplateSet, TemplateError } from '../../src/conversation/templates.ts';
import { errandEvents, errandStatuses, deadlineKinds } from '../../src/domain/errand-lifecycle.ts';
import { complaintTypes } from '../../src/conversation/effects.ts';
import { errorCatalog } from '../../src/errors.ts';

const { templates } = loadContent(contentDirs);

describe('message templates', () => {
  it('refuses to render with a variable missing, instead of leaving a gap', () => {
    const set = createTemplateSet({ 'a.b': '您好，{{ person.name }}' });
    expect(set.render('a.b', { person: { name: '刘芳' } })).toBe('您好，刘芳');
    expect(() => set.render('a.b', {})).toThrow(TemplateError);
    expect(set.variables('a.b')).toEqual(['person']);
  });

  it('reports templates that do not parse, all at once', () => {
    expect(() => createTemplateSet({ 'a.b': '{% if x %}', 'a.c': '{{ y | no_such_filter }}' })).toThrow(/a\.b[\s\S]*a\.c/);
  });

  it('versions a template by its text: editing it gives a new version', () => {
    const a = loadContent(contentDirs).templates.version('entrustment.text');
    expect(a).toMatch(/^[0-9a-f]{12}$/);
    expect(templates.version('entrustment.text')).toBe(a);
    expect(templates.version('request.created')).not.toBe(a);
  });

  it('has plain words for every status, event, deadline, complaint type and error', () => {
    for (const s of errandStatuses) expect(templates.render(`status.${s}`, {}), s).not.toBe('');
    for (const e of errandEvents) expect(templates.render(`event.${e}`, {}), e).not.toBe('');
    for (const k of deadlineKinds) expect(templates.render(`deadline.${k}`, {}), k).not.toBe('');
    for (const t of complaintTypes) expect(templates.render(`complaint_type.${t}`, {}), t).not.toBe('');
    for (const [code, spec] of Object.entries(errorCatalog)) {
      if (spec.template) expect(templates.has(spec.template), `${code} → ${spec.template}`).toBe(true);
    }
  });

  it('renders the masked room notice without a full name or phone number', () => {
    const text = templates.render('notify.new_request_room', {
      receiptNo: 'DB261201001',
      itemName: '出生登记',
      villageName: '石桥村',
      maskedName: '张*花',
      claimBy: '2026-12-02',
    });
    expect(text).toContain('张*花');
    expect(text).toContain('12月2日 周三');
    expect(text).not.toMatch(/1[3-9]\d{9}/);
  });

  it('reads an empty text and a zero as "nothing" in a condition, never printing a line about nothing', () => {
    // 派单 of an item only residents may request has no candidates: no "是不是：？" with an empty list.
    const unclear = templates.render('cmd.item_unclear', { words: '高龄津贴', candidates: '' });
    expect(unclear).not.toContain('是不是');
    expect(unclear).toContain('请换个说法');
    expect(templates.render('cmd.item_unclear', { words: '低保', candidates: '最低生活保障、临时救助' })).toContain('是不是：最低生活保障、临时救助？');
    const set = createTemplateSet({ 'a.b': '{% if n %}共 {{ n }} 条{% else %}没有{% endif %}' });
    expect(set.render('a.b', { n: 0 })).toBe('没有');
    expect(set.render('a.b', { n: 3 })).toBe('共 3 条');
  });
});

describe('the error catalog', () => {
  it('maps every code to a 4xx or 5xx status', () => {
    for (const [code, spec] of Object.entries(errorCatalog)) {
      expect(spec.status, code).toBeGreaterThanOrEqual(400);
      expect(spec.status, code).toBeLessThan(600);
      expect(spec.message.length, code).toBeGreaterThan(5);
    }
  });
});

describe('rendering the same text again', () => {
  it('gives the same result, and still refuses a missing variable after a null one was rendered', () => {
    const set = createTemplateSet({ 'a.b': '{% if x %}有{{ x }}{% else %}无{% endif %}', 'a.c': '{{ y }}' });
    expect(set.render('a.b', { x: '甲' })).toBe('有甲');
    expect(set.render('a.b', { x: '甲' })).toBe('有甲');
    expect(set.render('a.b', { x: '乙' })).toBe('有乙');
    expect(set.render('a.c', { y: null })).toBe('');
    expect(() => set.render('a.c', {})).toThrow(TemplateError);
  });

  it('reads a list of codes in words with the labels filter, in order, and refuses a code without words', () => {
    const set = createTemplateSet({
      'step.photo': '照相',
      'step.fingerprint': '采集指纹',
      'a.b': '要本人去：{{ steps | labels: "step" }}。',
    });
    expect(set.render('a.b', { steps: ['fingerprint', 'photo'] })).toBe('要本人去：采集指纹、照相。');
    expect(set.render('a.b', { steps: [] })).toBe('要本人去：。');
    expect(() => set.render('a.b', { steps: ['dance'] })).toThrow(/step\.dance/);
  });
});
