import { compactText, normaliseText } from '../text/normalise.ts';

/**
 * "I have read it", the way villagers say it: "好的知道了", "晓得了谢谢", "嗯嗯", "ok", "好的👌".
 * The message is cut into known pieces from left to right, longest first; it acknowledges only when
 * every piece is an acknowledgement or filler. Anything with a 不 or 没 ("不晓得", "没看懂") or any
 * other word ("户口簿在我儿子那里") is not one: the question is asked again.
 */

const ACKS = [
  '同意',
  '知道了',
  '知道啦',
  '知道',
  '晓得了',
  '晓得啦',
  '晓得',
  '明白了',
  '明白',
  '懂了',
  '清楚了',
  '收到了',
  '收到',
  '记住了',
  '记下了',
  '好的',
  '好嘞',
  '好滴',
  '好吧',
  '好',
  '嗯',
  '恩',
  '是的',
  '是',
  '对的',
  '对',
  '行',
  '可以',
  '要得',
  '没问题',
  '没得问题',
  '没有问题',
  'ok',
  'okay',
  '👌',
  '👍',
  '🙏',
  '✅',
  '👏',
];
const FILLERS = [
  '了',
  '啦',
  '的',
  '哦',
  '噢',
  '喔',
  '呀',
  '啊',
  '嘛',
  '呢',
  '吧',
  '哈',
  '我',
  '谢谢',
  '多谢',
  '感谢',
  '辛苦了',
  '辛苦',
  '谢谢你们',
  '谢谢你',
  '谢谢您',
];

const pieces = [...ACKS.map((p) => [p, true] as const), ...FILLERS.map((p) => [p, false] as const)].sort((a, b) => b[0].length - a[0].length);
const EMOJI = /👌|👍|🙏|✅|👏/gu;
/** Variation selectors, skin tones and joiners that ride along with emoji. */
const EMOJI_MODIFIERS = /\uFE0E|\uFE0F|\u200D|[\u{1F3FB}-\u{1F3FF}]/gu;

export function isAcknowledgement(text: string): boolean {
  const plain = normaliseText(text).replace(EMOJI_MODIFIERS, '');
  const emoji = plain.match(EMOJI)?.length ?? 0;
  const c = compactText(plain.replace(EMOJI, ''));
  if (/[不没]/.test(c.replace(/没(?:得|有)?问题/g, ''))) return false;
  let i = 0;
  let acks = emoji;
  while (i < c.length) {
    const piece = pieces.find(([p]) => c.startsWith(p, i));
    if (!piece) return false;
    if (piece[1]) acks++;
    i += piece[0].length;
  }
  return acks > 0;
}
