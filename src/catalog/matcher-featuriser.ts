import { pinyin } from 'pinyin-pro';
import { normaliseText } from '../text/normalise.ts';

/**
 * How the matcher reads text: numbers spelled out as said aloud, concepts read as one word, filler words
 * cut, and what is left broken into characters and pairs of neighbours, each in three spellings (as
 * written, by pinyin, by fuzzy pinyin that forgives zh/z, in/ing and the like) so typos and homophones meet.
 */

/** The words the reading needs: fillers to cut and concepts to read as one (item-matcher's MatcherLexicon). */
export interface FeaturiserWords {
  fillerWords: readonly string[];
  concepts?: Readonly<Record<string, readonly string[]>>;
}

const INITIAL_MERGES: [RegExp, string][] = [
  [/^zh/, 'z'],
  [/^ch/, 'c'],
  [/^sh/, 's'],
  [/^n(?=[aeiouv])/, 'l'],
  [/^f(?=[aeiou])/, 'h'],
];
const FINAL_MERGES: [RegExp, string][] = [
  [/eng$/, 'en'],
  [/ing$/, 'in'],
  [/ang$/, 'an'],
];

const fuzzyCache = new Map<string, string>();

function fuzzy(syllable: string): string {
  const cached = fuzzyCache.get(syllable);
  if (cached !== undefined) return cached;
  let out = syllable;
  for (const [re, to] of INITIAL_MERGES) out = out.replace(re, to);
  for (const [re, to] of FINAL_MERGES) out = out.replace(re, to);
  // Syllables are a closed set (about 400), so the cache stays small.
  fuzzyCache.set(syllable, out);
  return out;
}

/** A pair of neighbouring characters or a single character, in its three spellings. */
export interface Feature {
  chars: string;
  sound: string;
  fuzzy: string;
  single: boolean;
}

interface Char {
  char: string;
  sound: string;
}

const escape = (w: string) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One regular expression for a list of words, the longest first so 咋个 wins over 咋. */
function wordsRe(words: readonly string[]): RegExp | null {
  const list = [...new Set(words.map((w) => normaliseText(w)).filter(Boolean))].sort((a, b) => b.length - a.length);
  return list.length ? new RegExp(list.map(escape).join('|'), 'g') : null;
}

/** How a text is read for matching: the item's own words as written, its needs with concepts read as one. */
export interface Featuriser {
  /** The text cleaned for matching: numbers spelled out, concepts read (when asked), fillers cut. */
  read(text: string, concepts: boolean): string;
  features(read: string): Feature[];
}

export function createFeaturiser(lexicon: FeaturiserWords): Featuriser {
  const fillerRe = wordsRe(lexicon.fillerWords);
  const readAs = new Map<string, string>();
  for (const [word, variants] of Object.entries(lexicon.concepts ?? {})) {
    // The word itself too, so 垮塌 stays whole when 垮 is one of its variants.
    for (const v of [word, ...variants]) readAs.set(normaliseText(v), normaliseText(word));
  }
  const conceptRe = wordsRe([...readAs.keys()]);

  const runs = (t: string): Char[][] => {
    const out: Char[][] = [];
    for (const run of t.split(/[^\p{Script=Han}]+/u)) {
      if (!run) continue;
      const chars = [...run];
      const sounds = pinyin(run, { toneType: 'none', type: 'array', nonZh: 'removed', v: true });
      if (sounds.length !== chars.length) continue;
      out.push(chars.map((char, i) => ({ char, sound: sounds[i] ?? char })));
    }
    return out;
  };

  return {
    read(text, concepts) {
      // Concepts first, so a filler inside a variant (了 in 走了) is read with it; then fillers are cut
      // out and the words around them joined: 打啥子药 → 打药.
      let t = arabicToChinese(normaliseText(text));
      if (concepts && conceptRe) t = t.replace(conceptRe, (w) => readAs.get(w) ?? w);
      if (fillerRe) t = t.replace(fillerRe, '');
      return t;
    },
    features(read) {
      const features: Feature[] = [];
      for (const run of runs(read)) {
        for (let i = 0; i < run.length; i++) {
          const a = run[i] as Char;
          features.push({ chars: a.char, sound: a.sound, fuzzy: fuzzy(a.sound), single: true });
          const b = run[i + 1];
          if (b) features.push({ chars: a.char + b.char, sound: `${a.sound}_${b.sound}`, fuzzy: `${fuzzy(a.sound)}_${fuzzy(b.sound)}`, single: false });
        }
      }
      return features;
    },
  };
}

const DIGITS = '零一二三四五六七八九';

/** 15 → 十五, 60 → 六十, 8000 → 八千 (as said aloud), so typed and spoken numbers meet. */
function arabicToChinese(text: string): string {
  return text.replace(/\d+/g, (digits) => {
    const n = Number(digits);
    if (!Number.isSafeInteger(n) || n >= 10000)
      return digits
        .split('')
        .map((d) => DIGITS[Number(d)])
        .join('');
    if (n === 0) return '零';
    const units = ['', '十', '百', '千'];
    const parts = String(n).split('').reverse();
    let out = '';
    let zero = false;
    for (let i = parts.length - 1; i >= 0; i--) {
      const d = Number(parts[i]);
      if (d === 0) {
        zero = out !== '';
        continue;
      }
      if (zero) out += '零';
      zero = false;
      out += (d === 1 && i === 1 && out === '' ? '' : (DIGITS[d] ?? '')) + (units[i] ?? '');
    }
    return out;
  });
}
