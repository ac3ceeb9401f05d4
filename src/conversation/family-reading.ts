import type { AgeGroup } from '../domain/beneficiary.ts';
import { compactText, normaliseText } from '../text/normalise.ts';

/**
 * Reading who an errand is for the way villagers say it: "给我娃儿办", "帮我妈办", "我老汉儿的",
 * "给屋头老人办", "给孙子上户口"; a relation in plain words or dialect; "还没取名字"; an age.
 */

export type RelationGroup = 'parent' | 'spouse' | 'child' | 'grandchild' | 'grandparent' | 'elder' | 'sibling' | 'other';

export interface Relation {
  /** The relation as the texts say it (老汉儿 → 父亲; a word with two meanings, like 婆婆, is kept). */
  relation: string;
  group: RelationGroup;
}

/** Words → the relation they mean. A word with two dialect meanings keeps its own word. */
const LEXICON: readonly (readonly [words: readonly string[], relation: string, group: RelationGroup])[] = [
  [['老汉儿', '老汉', '爸爸', '老爸', '父亲', '爹', '老爹', '阿爸', '爸'], '父亲', 'parent'],
  [['老娘', '妈妈', '老妈', '母亲', '阿妈', '妈', '娘'], '母亲', 'parent'],
  [['父母', '爸妈', '爹妈', '老人们'], '父母', 'parent'],
  [['岳父', '老丈人', '丈人'], '岳父', 'parent'],
  [['岳母', '丈母娘'], '岳母', 'parent'],
  [['婆婆'], '婆婆', 'elder'],
  [['公公'], '公公', 'elder'],
  [['屋头老人', '家里老人', '老人家', '老人'], '家里老人', 'elder'],
  [['爷爷', '祖父', '爷'], '爷爷', 'grandparent'],
  [['奶奶', '祖母'], '奶奶', 'grandparent'],
  [['外公', '家公', '姥爷'], '外公', 'grandparent'],
  [['外婆', '家婆', '姥姥'], '外婆', 'grandparent'],
  [['老公', '丈夫', '男人'], '丈夫', 'spouse'],
  [['老婆', '妻子', '婆娘', '媳妇儿', '媳妇'], '妻子', 'spouse'],
  [['爱人', '配偶'], '配偶', 'spouse'],
  [['儿子', '儿娃子', '崽儿', '崽', '幺儿'], '儿子', 'child'],
  [['女儿', '闺女', '姑娘', '女娃子', '幺女'], '女儿', 'child'],
  [['娃儿', '娃娃', '孩子', '小孩', '小娃', '宝宝', '娃', '子女'], '孩子', 'child'],
  [['孙子', '孙儿', '孙娃'], '孙子', 'grandchild'],
  [['孙女'], '孙女', 'grandchild'],
  [['外孙女'], '外孙女', 'grandchild'],
  [['外孙'], '外孙', 'grandchild'],
  [['哥哥', '哥'], '哥哥', 'sibling'],
  [['姐姐', '姐'], '姐姐', 'sibling'],
  [['弟弟', '兄弟', '弟娃', '弟'], '弟弟', 'sibling'],
  [['妹妹', '妹儿', '妹'], '妹妹', 'sibling'],
  [['舅舅', '叔叔', '伯伯', '姑姑', '姨妈', '嬢嬢', '舅妈', '姑妈', '伯母', '婶婶', '侄儿', '侄女', '外甥', '外甥女', '儿媳妇', '女婿'], '', 'other'],
];

const ENTRIES = LEXICON.flatMap(([words, relation, group]) => words.map((word) => ({ word, relation: relation || word, group })))
  // Longest first: 外孙女 before 孙女, 姑娘 before 娘, 老汉儿 before 老汉.
  .sort((a, b) => b.word.length - a.word.length);

/** Where a word stands in the text; a one-letter word (妈, 娃) only on its own or after 我/给/帮…, so 舅妈 is not 妈. */
function wordAt(c: string, word: string): number {
  if (word.length > 1) return c.indexOf(word);
  for (let at = c.indexOf(word); at >= 0; at = c.indexOf(word, at + 1)) {
    if (at === 0 || '我给帮替为的家咱俺'.includes(c[at - 1] ?? '')) return at;
  }
  return -1;
}

/** The relation a text names, wherever in the text (the longest word wins, then the earliest). */
export function findRelation(text: string): Relation | null {
  const c = compactText(text);
  let best: { at: number; length: number; relation: Relation } | null = null;
  for (const e of ENTRIES) {
    const at = wordAt(c, e.word);
    if (at < 0) continue;
    if (!best || e.word.length > best.length || (e.word.length === best.length && at < best.at))
      best = { at, length: e.word.length, relation: { relation: e.relation, group: e.group } };
  }
  return best?.relation ?? null;
}

/** A relation answer: a known word anywhere in it, or the words themselves (舅妈, 干爹) when short. */
export function readRelation(text: string): Relation | null {
  const known = findRelation(text);
  if (known) return known;
  const said = normaliseText(text)
    .replace(/^(?:他|她)?(?:是我的|是我|是|我的|我)/u, '')
    .replace(/[的。.!！]+$/u, '');
  if ([...said].length < 1 || [...said].length > 10 || !/^[\p{Script=Han}A-Za-z]+$/u.test(said)) return null;
  return { relation: said, group: 'other' };
}

export type ForWhom = { kind: 'self' } | { kind: 'family'; relation: Relation | null };

const SELF_WORDS = new Set(['我', '给我', '给我办', '帮我办', '我的', '我的事', '是我', '我本人', '就是我', '给自己', '我自己的', '自己的']);

/** 给谁办 answered in words: myself, a named relation ("给我娃儿办"), or family in general. */
export function readForWhom(text: string): ForWhom | null {
  const c = compactText(text);
  if (!c) return null;
  const relation = findRelation(c);
  if (relation) return { kind: 'family', relation };
  if (SELF_WORDS.has(c) || /自己|本人/.test(c)) return { kind: 'self' };
  if (/家里人|家人|屋头人|屋里人|亲戚|亲人/.test(c)) return { kind: 'family', relation: null };
  return null;
}

/** "还没取名字", "还没起名", "没取名", "名字还没定", "还没有名字": not a name. */
export function saysUnnamed(text: string): boolean {
  const c = compactText(text);
  return /^(?:还)?(?:没有?|未|莫得|没得)(?:取|起|定|想好)?名|名字?(?:还)?(?:没有?|未)(?:取|起|定|想好)|^(?:还)?没有?名字|^还没取|^还没起|^没取好/.test(c);
}

const CN_DIGITS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** A number of years in digits or Chinese numerals (七十多 → 70, 十二 → 12, 8 → 8). */
function yearsIn(c: string): number | null {
  const digits = /(\d{1,3})/.exec(c);
  if (digits) return Number(digits[1]);
  const cn = /([一二两三四五六七八九])?十([一二三四五六七八九])?|([一二两三四五六七八九])(?:岁|多岁)/.exec(c);
  if (!cn) return null;
  if (cn[3]) return CN_DIGITS[cn[3]] ?? null;
  return (cn[1] ? (CN_DIGITS[cn[1]] ?? 1) : 1) * 10 + (cn[2] ? (CN_DIGITS[cn[2]] ?? 0) : 0);
}

/** An age answered in words: "刚生的", "8岁", "读初中", "七十多了", "满18了". */
export function readAgeGroup(text: string): AgeGroup | null {
  const c = compactText(text);
  if (!c) return null;
  if (/刚生|刚出生|才生|新生|没满月|满月|刚落地|几个月|个月大|婴儿/.test(c)) return 'newborn';
  if (/未成年|没成年|没满18|不满18|不到18|还小|读书|上学|小学|初中|高中|幼儿园/.test(c)) return 'minor';
  if (/上了年纪|年纪大|老了|退休/.test(c)) return 'elderly';
  if (/成年|满18|大人|打工|上班/.test(c)) return 'adult';
  const years = yearsIn(c);
  if (years === null) return null;
  if (years < 1) return 'newborn';
  if (years < 18) return 'minor';
  if (years < 60) return 'adult';
  return years <= 130 ? 'elderly' : null;
}

/** The age group a relation alone makes clear (a grandchild is a minor unless said otherwise). */
export function ageOfRelation(group: RelationGroup, relation: string): AgeGroup | null {
  if (group === 'grandparent' || relation === '家里老人') return 'elderly';
  if (group === 'grandchild') return 'minor';
  return null;
}

/** What an item's own words say about whom it is for: a newborn (出生登记) or an old person (高龄津贴). */
export function ageOfItem(item: { name: string; conditions: readonly string[] }): AgeGroup | null {
  if (/出生登记|出生医学证明/.test(item.name)) return 'newborn';
  if (/高龄/.test(item.name) || item.conditions.some((c) => /^(?:本县户籍，)?年满[6-9]0周岁/.test(c))) return 'elderly';
  return null;
}
