import type { RatingLevel } from '../domain/rating-scale.ts';
import { compactText, normaliseText } from '../text/normalise.ts';
import { readNumber } from './reply-reading.ts';

/**
 * Reading a 好差评 the way villagers give it: a digit (5 最好 … 1 最差), stars ("五星", "5星", "⭐⭐⭐⭐⭐"),
 * words ("五星好评", "挺好的", "还行", "差评", "太差了") and thumbs (👍 👎, WeChat's [强] [弱]).
 *
 * The message is cut into known pieces from left to right, the longest piece first: rating words,
 * star counts, a lone digit, and filler that changes nothing (的, 了, 吧, 谢谢…). It means a level
 * only when every piece is known and all rating pieces agree; anything else — "好的", "不是很好",
 * "满意但是太慢", "1 非常满意" — is null, and the resident is asked again with the numbers and words.
 */

const PHRASES: Readonly<Record<RatingLevel, readonly string[]>> = {
  5: ['非常满意', '很满意', '特别满意', '十分满意', '太满意', '超满意', '满分', '好评', '非常好', '特别好', '太好', '很好', '好极', '点赞', '赞'],
  4: ['满意', '挺满意', '比较满意', '蛮满意', '还算满意', '挺好', '蛮好', '不错', '挺不错', '很不错', '还不错', '良好'],
  3: ['基本满意', '还行', '还可以', '一般', '一般般', '凑合', '还好', '马马虎虎', '过得去', '说得过去', '中评', '及格'],
  2: ['不满意', '不太满意', '不怎么满意', '不是很满意', '不大满意', '不好', '不太好', '不怎么样', '不行', '差', '较差', '比较差', '有点差'],
  1: [
    '非常不满意',
    '很不满意',
    '特别不满意',
    '十分不满意',
    '太不满意',
    '极不满意',
    '差评',
    '非常差',
    '很差',
    '太差',
    '特别差',
    '最差',
    '差劲',
    '很不好',
    '非常不好',
    '太不好',
    '特别不好',
    '太烂',
    '很烂',
    '垃圾',
  ],
};

/** Pieces that carry no rating: particles, the resident addressing us, thanks. */
const FILLERS = [
  '的',
  '了',
  '啊',
  '呀',
  '吧',
  '哦',
  '喔',
  '呢',
  '嘛',
  '啦',
  '哈',
  '嗯',
  '哇',
  '我',
  '给',
  '打',
  '个',
  '就',
  '都',
  '是',
  '谢谢',
  '感谢',
  '多谢',
  '辛苦了',
  '辛苦',
  '评价',
  '打分',
  '评分',
  '你们',
  '您',
];

const phrases: readonly (readonly [string, RatingLevel])[] = Object.entries(PHRASES)
  .flatMap(([level, words]) => words.map((w) => [w, Number(level) as RatingLevel] as const))
  .sort((a, b) => b[0].length - a[0].length);
const fillers = [...FILLERS].sort((a, b) => b.length - a.length);

const CHINESE_DIGITS: Readonly<Record<string, RatingLevel>> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5 };
/** "5星", "五颗星", "4分". */
const STARS_OR_POINTS = /([1-5一二两三四五])颗?(?:星|分)/y;
const LONE_DIGIT = /(?<!\d)[1-5](?!\d)/y;

/** WeChat's built-in faces arrive as text: [强] is a thumbs-up, [弱] a thumbs-down. */
const WECHAT_FACES: readonly (readonly [RegExp, string])[] = [
  [/\[强\]|\/:strong/g, '👍'],
  [/\[弱\]|\/:weak/g, '👎'],
];
/** Variation selectors, skin tones and joiners that ride along with emoji. */
const EMOJI_MODIFIERS = /\uFE0E|\uFE0F|\u200D|[\u{1F3FB}-\u{1F3FF}]/gu;
const FILLED_STAR = /[⭐🌟★]/gu;
const EMPTY_STAR = /☆/gu;

function clamp(n: number): RatingLevel {
  return Math.min(5, Math.max(1, n)) as RatingLevel;
}

/** The 好差评 level a message means, or null when it is not clearly one level. */
export function readRatingLevel(text: string): RatingLevel | null {
  const n = readNumber(text);
  if (n !== null) return n >= 1 && n <= 5 ? (n as RatingLevel) : null;

  let rest = normaliseText(text).replace(EMOJI_MODIFIERS, '');
  for (const [face, emoji] of WECHAT_FACES) rest = rest.replace(face, emoji);
  const levels: RatingLevel[] = [];

  const stars = rest.match(FILLED_STAR)?.length ?? 0;
  const emptyStars = rest.match(EMPTY_STAR)?.length ?? 0;
  if (stars) levels.push(clamp(stars));
  else if (emptyStars) return null;
  const up = rest.includes('👍');
  const down = rest.includes('👎');

  const c = compactText(rest);
  let i = 0;
  while (i < c.length) {
    STARS_OR_POINTS.lastIndex = i;
    const counted = STARS_OR_POINTS.exec(c);
    if (counted) {
      const digit = counted[1] as string;
      levels.push(CHINESE_DIGITS[digit] ?? (Number(digit) as RatingLevel));
      i += counted[0].length;
      continue;
    }
    const phrase = phrases.find(([w]) => c.startsWith(w, i));
    if (phrase) {
      levels.push(phrase[1]);
      i += phrase[0].length;
      continue;
    }
    LONE_DIGIT.lastIndex = i;
    if (LONE_DIGIT.test(c)) {
      levels.push(Number(c[i]) as RatingLevel);
      i += 1;
      continue;
    }
    const filler = fillers.find((w) => c.startsWith(w, i));
    if (!filler) return null;
    i += filler.length;
  }
  // A thumb alone is 好评 (5) or 差评 (1); beside words it only has to point the same way.
  if (up && down) return null;
  const [first] = levels;
  if (first === undefined) return up ? 5 : down ? 1 : null;
  if (!levels.every((l) => l === first)) return null;
  if ((up && first < 3) || (down && first > 2)) return null;
  return first;
}
