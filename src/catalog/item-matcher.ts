import type { CatalogItem } from './catalog-schema.ts';
import { createFeaturiser, type Feature, type Featuriser } from './matcher-featuriser.ts';

/**
 * Maps what a villager types (or what voice recognition heard) to catalogue items.
 *
 * Every phrase of an item (its name and the parts of it, its aliases, its keywords) and the query are
 * cut into pairs of neighbouring characters and into single characters, each compared three ways:
 * the same characters (full weight), the same pinyin (a typo or homophone: 低报 → 低保, 身分证 →
 * 身份证) and the same *fuzzy* pinyin (the sounds Sichuan speech and pinyin typing confuse merged:
 * zh/z, ch/c, sh/s, n/l, f/h, -eng/-en, -ing/-in, -ang/-an; 独身子女 → 独生子女). Features are
 * weighted by how rare they are in the catalogue (idf), so 补助 counts for little and 宅基 a lot.
 * Filler words (啥子, 咋个, 一下…) are cut out first. An item needs at least one pair that matches
 * by characters or exact pinyin; a fuzzy sound alone is not enough evidence.
 *
 * The score (0–1) of the item's own words blends how completely its best phrase appears in the query
 * with how much of the query the item explains. Its needs — situations in villagers' words, 考上大学
 * 学费, 屋顶漏雨 — are weaker evidence scored by how much of the need the query tells, not by how much
 * of the query the need explains: a long story is carried by its key phrase. The two add up as
 * independent chances. Pure and synchronous; built once per catalogue version.
 */

export interface ItemMatch {
  id: string;
  name: string;
  category: string;
  /** 0–1: how well the item explains the query. */
  score: number;
}

export interface ItemMatcher {
  match(query: string, limit?: number): ItemMatch[];
}

export interface MatcherLexicon {
  /** Words that carry no meaning for matching (啥子, 咋个, 一下, 请问…). */
  fillerWords: readonly string[];
  /**
   * Words that say the same thing, each group under the word it is read as (去世: 过世, 走了, 死了…):
   * in the query and in every phrase and need of the catalogue alike, so one need covers them all.
   */
  concepts?: Readonly<Record<string, readonly string[]>>;
}

/** Below this a candidate is not plausible and is not returned. */
export const PLAUSIBLE_SCORE = 0.3;
export const MAX_MATCHES = 5;

const FIELD_WEIGHT = { name: 1, alias: 1, keyword: 0.75 } as const;
type Field = keyof typeof FIELD_WEIGHT;
/** Same characters · same pinyin · same fuzzy pinyin. */
const TIER_WEIGHT = [1, 0.85, 0.6] as const;
const SINGLE_WEIGHT = 0.5;
/** What a fully told need is worth on its own: less than an item's own words (keywords 0.75). */
const NEED_WEIGHT = 0.6;
/** A need of several parts all told (去世 户口) is more specific than one phrase: worth more. */
const NEED_WEIGHT_JOINT = 0.8;
/** A need counts only when at least this share of each of its parts is told. */
const NEED_MIN_COVER = 0.75;
/**
 * The item's own words are a scrap when they tell less than this share of its best phrase (头看 of
 * 在外头看病)…
 */
const SCRAP_COVER = 0.35;
/** …or, matched by sound alone, less than this (唱首 is not 长寿补贴, while 低报 is 低保)… */
const SOUND_ONLY_COVER = 0.6;
/** …and explain less than this share of the message (补贴 alone is no scrap)… */
const SCRAP_SHARE = 0.75;
/** …and a scrap is worth at most this: under PLAUSIBLE_SCORE, so it ranks but names no item alone. */
const SCRAP_SCORE = 0.25;
/** Weight of query content that no item knows: it lowers how much an item explains. */
const UNKNOWN_WEIGHT = 0.6;

interface Phrase {
  field: Field;
  pairs: Feature[];
  /** Each pair's fuzzy spelling and rarity, and their sum: set once the catalogue is indexed. */
  keys: string[];
  weights: number[];
  total: number;
}

interface IndexedItem {
  item: CatalogItem;
  phrases: Phrase[];
  /** Best field weight of each spelling found in the item. */
  byChars: Map<string, number>;
  bySound: Map<string, number>;
  byFuzzy: Map<string, number>;
}

function phrasesOf(item: CatalogItem): { field: Field; text: string }[] {
  const parts = item.name.split(/[/／、]/).filter((p) => [...p].length >= 2);
  return [
    { field: 'name', text: item.name.replace(/[/／]/g, '') },
    ...(parts.length > 1 ? parts.map((text) => ({ field: 'name' as const, text })) : []),
    ...item.aliases.map((text) => ({ field: 'alias' as const, text })),
    ...item.keywords.map((text) => ({ field: 'keyword' as const, text })),
  ];
}

/** One pair of a need, filed under its fuzzy spelling: which need, which part, which pair. */
interface NeedPosting {
  need: number;
  part: number;
  pair: number;
  chars: string;
  sound: string;
}

interface IndexedNeed {
  item: number;
  /** The number of pairs in each part. */
  sizes: number[];
}

/**
 * The items' needs, indexed by their pairs. A need is met by the share of it the query tells: for each
 * part, the pairs found (by characters, pinyin or fuzzy pinyin, weighted by tier), and the least of
 * the parts — all of a need's parts must be told. A fuzzy sound alone does not meet a need.
 */
function createNeedIndex(items: readonly CatalogItem[], featuriser: Featuriser) {
  const needs: IndexedNeed[] = [];
  const postings = new Map<string, NeedPosting[]>();
  items.forEach((item, index) => {
    for (const text of item.needs) {
      const parts = text
        .split(/\s+/)
        .map((t) => featuriser.features(featuriser.read(t, true)))
        // A part is told by its pairs of characters; a one-character part (走 in 走 户口) by the character.
        .map((features) => (features.length === 1 ? features : features.filter((f) => !f.single)));
      // A part that is all filler cannot be told, and a need needs at least one pair: else it is left out.
      if (parts.some((features) => features.length === 0) || parts.every((features) => features[0]?.single)) continue;
      const need = needs.length;
      needs.push({ item: index, sizes: parts.map((pairs) => pairs.length) });
      parts.forEach((pairs, part) =>
        pairs.forEach((p, pair) => {
          const list = postings.get(p.fuzzy) ?? [];
          list.push({ need, part, pair, chars: p.chars, sound: p.sound });
          postings.set(p.fuzzy, list);
        }),
      );
    }
  });

  /** The best need evidence (0–1: weight × cover) of each item whose needs the query tells. */
  return (features: readonly Feature[]): Map<number, number> => {
    const found = new Map<number, { parts: number[][]; anchored: boolean }>();
    for (const f of features) {
      for (const p of postings.get(f.fuzzy) ?? []) {
        const tier = p.chars === f.chars ? 0 : p.sound === f.sound ? 1 : 2;
        // A one-character part (走 in 走 户口) is told only by that character: its sound is too common.
        if (f.single && tier > 0) continue;
        let hit = found.get(p.need);
        if (!hit) {
          hit = { parts: (needs[p.need] as IndexedNeed).sizes.map((size) => new Array<number>(size).fill(0)), anchored: false };
          found.set(p.need, hit);
        }
        const part = hit.parts[p.part] as number[];
        part[p.pair] = Math.max(part[p.pair] ?? 0, TIER_WEIGHT[tier]);
        if (tier === 0 && !f.single) hit.anchored = true;
      }
    }
    const byItem = new Map<number, number>();
    for (const [need, hit] of found) {
      if (!hit.anchored) continue;
      const cover = Math.min(...hit.parts.map((part) => part.reduce((sum, w) => sum + w, 0) / part.length));
      if (cover < NEED_MIN_COVER) continue;
      const item = (needs[need] as IndexedNeed).item;
      const weight = hit.parts.length > 1 ? NEED_WEIGHT_JOINT : NEED_WEIGHT;
      byItem.set(item, Math.max(byItem.get(item) ?? 0, weight * cover));
    }
    return byItem;
  };
}

const raise = (map: Map<string, number>, key: string, weight: number) => map.set(key, Math.max(map.get(key) ?? 0, weight));

export function createItemMatcher(items: readonly CatalogItem[], lexicon: MatcherLexicon = { fillerWords: [] }): ItemMatcher {
  const featuriser = createFeaturiser(lexicon);
  const coverNeeds = createNeedIndex(items, featuriser);

  const indexed: IndexedItem[] = items.map((item) => {
    const entry: IndexedItem = { item, phrases: [], byChars: new Map(), bySound: new Map(), byFuzzy: new Map() };
    for (const { field, text } of phrasesOf(item)) {
      const features = featuriser.features(featuriser.read(text, false));
      for (const f of features) {
        raise(entry.byChars, f.chars, FIELD_WEIGHT[field]);
        raise(entry.bySound, f.sound, FIELD_WEIGHT[field]);
        raise(entry.byFuzzy, f.fuzzy, FIELD_WEIGHT[field]);
      }
      const pairs = features.filter((f) => !f.single);
      if (pairs.length) entry.phrases.push({ field, pairs, keys: pairs.map((f) => f.fuzzy), weights: [], total: 0 });
    }
    return entry;
  });

  // Document frequency by fuzzy spelling: the loosest key, so homophones share one rarity.
  const df = new Map<string, number>();
  for (const entry of indexed) for (const key of entry.byFuzzy.keys()) df.set(key, (df.get(key) ?? 0) + 1);
  const n = indexed.length;
  const idf = (f: Feature) => {
    const d = df.get(f.fuzzy);
    return d ? Math.log(1 + n / d) : 0;
  };
  const featureWeight = (f: Feature) => idf(f) * (f.single ? SINGLE_WEIGHT : 1);
  for (const entry of indexed) {
    for (const phrase of entry.phrases) {
      phrase.weights = phrase.pairs.map(idf);
      phrase.total = phrase.weights.reduce((sum, w) => sum + w, 0);
    }
  }

  // The items' words inverted, spelling → the items that know it with their best field weight, so a
  // message touches only the items that share something with it.
  type Postings = Map<string, [number, number][]>;
  const postingsOf = (pick: (entry: IndexedItem) => Map<string, number>): Postings => {
    const out: Postings = new Map();
    indexed.forEach((entry, index) => {
      for (const [key, field] of pick(entry)) {
        const list = out.get(key) ?? [];
        list.push([index, field]);
        out.set(key, list);
      }
    });
    return out;
  };
  const postings = [postingsOf((e) => e.byChars), postingsOf((e) => e.bySound), postingsOf((e) => e.byFuzzy)] as const;

  interface WordHits {
    explained: number;
    anchored: boolean;
    sameChars: boolean;
    /** Best tier weight of each pair of the message the item knows, by fuzzy spelling. */
    pairs: Map<string, number>;
  }

  /** What each item's own words tell of the message: each feature under the item's best spelling of it. */
  const hitWords = (known: readonly Feature[], weights: readonly number[]): Map<number, WordHits> => {
    const hits = new Map<number, WordHits>();
    // The feature an item last took a spelling of: it takes only its best (chars, then sound, then fuzzy).
    const taken = new Int32Array(indexed.length).fill(-1);
    known.forEach((f, i) => {
      const keys = [f.chars, f.sound, f.fuzzy] as const;
      for (let tier = 0; tier < 3; tier++) {
        for (const [item, field] of postings[tier as 0 | 1 | 2].get(keys[tier as 0 | 1 | 2]) ?? []) {
          if (taken[item] === i) continue;
          taken[item] = i;
          let hit = hits.get(item);
          if (!hit) {
            hit = { explained: 0, anchored: false, sameChars: false, pairs: new Map() };
            hits.set(item, hit);
          }
          const tierWeight = TIER_WEIGHT[tier as 0 | 1 | 2];
          hit.explained += (weights[i] ?? 0) * field * tierWeight;
          if (!f.single) {
            hit.pairs.set(f.fuzzy, Math.max(hit.pairs.get(f.fuzzy) ?? 0, tierWeight));
            if (tier < 2) hit.anchored = true;
            if (tier === 0) hit.sameChars = true;
          }
        }
      }
    });
    return hits;
  };

  /** How well the item's own words (name, aliases, keywords) explain the query, 0 without an anchor. */
  const scoreWords = (entry: IndexedItem, hit: WordHits | undefined, queryWeight: number): number => {
    if (!hit?.anchored) return 0;
    const { explained, sameChars, pairs: matchedPairs } = hit;
    let phraseCover = 0;
    for (const phrase of entry.phrases) {
      if (phrase.total <= 0) continue;
      let found = 0;
      for (let i = 0; i < phrase.keys.length; i++) {
        const m = matchedPairs.get(phrase.keys[i] as string);
        if (m) found += (phrase.weights[i] ?? 0) * m;
      }
      if (found > 0) phraseCover = Math.max(phraseCover, (found / phrase.total) * FIELD_WEIGHT[phrase.field]);
    }
    const share = Math.min(1, explained / queryWeight);
    const score = 0.5 * phraseCover + 0.5 * share;
    // A scrap still ranks the item, but cannot make it plausible alone: chat naming 手机 is no 手机认证.
    const scrap = share < SCRAP_SHARE && phraseCover < (sameChars ? SCRAP_COVER : SOUND_ONLY_COVER);
    return scrap ? Math.min(score, SCRAP_SCORE) : score;
  };

  return {
    match(query, limit = MAX_MATCHES) {
      const seen = new Set<string>();
      const plain = featuriser.read(query, false);
      const features = featuriser.features(plain).filter((f) => (seen.has(f.chars) ? false : (seen.add(f.chars), true)));
      // Needs are told in concepts (走了 → 去世): the item's own words only as written, so chat that
      // merely contains a variant (我走了) does not name an item.
      const conceptual = featuriser.read(query, true);
      const known = features.filter((f) => df.has(f.fuzzy));
      const unknownPairs = features.filter((f) => !f.single && !df.has(f.fuzzy)).length;
      const weights = known.map(featureWeight);
      const queryWeight = weights.reduce((sum, w) => sum + w, 0) + UNKNOWN_WEIGHT * unknownPairs;
      const needCovers = coverNeeds(conceptual === plain ? features : featuriser.features(conceptual));
      if ((known.length === 0 || queryWeight === 0) && needCovers.size === 0) return [];

      const wordHits = hitWords(known, weights);
      const scored: ItemMatch[] = [];
      indexed.forEach((entry, index) => {
        const fromNeed = needCovers.get(index) ?? 0;
        const fromWords = queryWeight > 0 ? scoreWords(entry, wordHits.get(index), queryWeight) : 0;
        // Two kinds of evidence add up, as independent chances: 1 - (1 - a)(1 - b).
        const score = 1 - (1 - fromWords) * (1 - fromNeed);
        if (score >= PLAUSIBLE_SCORE) {
          scored.push({ id: entry.item.id, name: entry.item.name, category: entry.item.category, score: Math.round(score * 1000) / 1000 });
        }
      });
      scored.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
      return scored.slice(0, Math.max(0, Math.min(limit, MAX_MATCHES)));
    },
  };
}
