import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readCatalogFile } from '../../src/catalog/catalog-file.ts';
import { createItemMatcher, MAX_MATCHES } from '../../src/catalog/item-matcher.ts';

const file = readCatalogFile('data/catalog.yaml');
const matcher = createItemMatcher(file.items, file.matching);

interface Labelled {
  positives: { text: string; item: string }[];
  negatives: string[];
}
const load = (path: string) => parse(readFileSync(path, 'utf8')) as Labelled;

function accuracy(set: Labelled) {
  let top1 = 0;
  let top3 = 0;
  const misses: string[] = [];
  for (const p of set.positives) {
    const ids = matcher.match(p.text).map((m) => m.id);
    if (ids[0] === p.item) top1++;
    else misses.push(`${p.text} → ${p.item} (got ${ids.slice(0, 3).join(', ') || 'nothing'})`);
    if (ids.slice(0, 3).includes(p.item)) top3++;
  }
  return { top1: top1 / set.positives.length, top3: top3 / set.positives.length, misses };
}

describe('matching villagers’ words to catalogue items', () => {
  const labelled = load('test/catalog/utterances.yaml');

  it('has a labelled set of at least 60 colloquial utterances', () => {
    expect(labelled.positives.length).toBeGreaterThanOrEqual(60);
    const ids = new Set(file.items.map((i) => i.id));
    for (const p of labelled.positives) expect(ids.has(p.item), p.item).toBe(true);
  });

  it('gets top-1 ≥ 85 % and top-3 ≥ 95 % on the labelled set', () => {
    const { top1, top3, misses } = accuracy(labelled);
    console.log(`labelled set: top-1 ${(top1 * 100).toFixed(1)} %, top-3 ${(top3 * 100).toFixed(1)} % of ${labelled.positives.length}`);
    expect(top1, misses.join('\n')).toBeGreaterThanOrEqual(0.85);
    expect(top3, misses.join('\n')).toBeGreaterThanOrEqual(0.95);
  });

  it('returns nothing for greetings, chit-chat and off-topic requests', () => {
    for (const text of labelled.negatives) expect(matcher.match(text), text).toEqual([]);
  });

  it('also does well on a held-out set written separately and never used for tuning', () => {
    const holdout = load('test/catalog/utterances-holdout.yaml');
    const { top1, top3 } = accuracy(holdout);
    console.log(`held-out set: top-1 ${(top1 * 100).toFixed(1)} %, top-3 ${(top3 * 100).toFixed(1)} % of ${holdout.positives.length}`);
    expect(top1).toBeGreaterThanOrEqual(0.8);
    expect(top3).toBeGreaterThanOrEqual(0.9);
  });

  it.each([
    ['低报', 'minimum-living-allowance'],
    ['身分证掉了', 'resident-id-card'],
    ['残急证', 'disability-certificate'],
    ['五宝户', 'extreme-poverty-support'],
    ['新农合', 'resident-medical-insurance-payment'],
    ['独身子女证', 'only-child-parents-certificate'],
  ])('lands typos and homophones: %s → %s', (text, id) => {
    expect(matcher.match(text)[0]?.id).toBe(id);
  });

  it('returns at most five plausible matches, best first, with scores between 0 and 1', () => {
    const matches = matcher.match('补贴');
    expect(matches.length).toBeGreaterThan(1);
    expect(matches.length).toBeLessThanOrEqual(MAX_MATCHES);
    for (let i = 1; i < matches.length; i++) expect((matches[i - 1]?.score ?? 0) >= (matches[i]?.score ?? 0)).toBe(true);
    for (const m of matches) {
      expect(m.score).toBeGreaterThan(0);
      expect(m.score).toBeLessThanOrEqual(1);
    }
  });

  it.each(['', '   ', '😀😀', '1', 'x'.repeat(5000), "'; DROP TABLE errands; --"])('copes with odd input %j', (text) => {
    expect(Array.isArray(matcher.match(text))).toBe(true);
  });
});
