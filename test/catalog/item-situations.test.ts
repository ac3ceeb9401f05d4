import { describe, expect, it } from 'vitest';
import { materialsFor, situationFromWords } from '../../src/catalog/item-situations.ts';
import { testCatalog } from '../support/fake-flow-context.ts';

const card = testCatalog.get('social-security-card');
if (!card) throw new Error('the catalogue has no social security card');
const names = (situation: string | null) => materialsFor(card, situation).map((m) => m.name);

describe('an item’s situations', () => {
  it('are read from words that tell exactly one of them', () => {
    expect(situationFromWords(card, '社保卡丢了咋个补')).toBe('lost');
    expect(situationFromWords(card, '医保卡刷不出来了')).toBe('damaged');
    expect(situationFromWords(card, '我要办社保卡')).toBeNull();
    // Both told: not guessed, asked.
    expect(situationFromWords(card, '卡坏了，后来又丢了')).toBeNull();
  });

  it('keep the materials of the situation and of none, and every material while unknown', () => {
    expect(names('lost')).not.toContain('原社会保障卡');
    expect(names('damaged')).toContain('原社会保障卡');
    expect(names('lost')).toContain('居民户口簿');
    expect(names(null)).toHaveLength(card.materials.length);
    expect(names('no-such-case')).toHaveLength(card.materials.length);
  });

  it('are given for the cards and papers whose materials depend on them, each material naming a real one', () => {
    for (const id of ['social-security-card', 'resident-id-card', 'household-booklet-reissue', 'birth-medical-certificate']) {
      const item = testCatalog.get(id);
      expect(item?.situations.length, id).toBeGreaterThanOrEqual(2);
      const ids = new Set(item?.situations.map((s) => s.id));
      for (const m of item?.materials ?? []) for (const s of m.situations ?? []) expect(ids.has(s), `${id}: ${m.name} → ${s}`).toBe(true);
    }
  });
});
