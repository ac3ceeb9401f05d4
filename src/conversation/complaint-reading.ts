import { hasWords } from '../text/normalise.ts';
import type { ComplaintType } from './effects.ts';
import { compileCue, cueMatches, type CompiledCue } from './intent-reading.ts';

/**
 * The complaint type from the resident's story, as the supervisor files it: "代办员收了我50块钱跑路费"
 * → extra_fee (乱收费); "叫了几次都不来收材料", "推来推去" → shirking; "又让我交一堆材料" →
 * added_obligation; "一个多月了还没办好" → overdue. The most specific type is tried first; a story
 * that fits none is `other` (the supervisor reads the words anyway).
 */

const CUES: readonly (readonly [ComplaintType, readonly string[]])[] = [
  ['extra_fee', ['钱|块|元|费|红包|好处|烟|酒 + 收|要|给|交|拿|塞|送', '乱收费|跑路费|辛苦费|好处费|手续费']],
  [
    'added_obligation',
    ['又|再|还要|多要|一堆|额外|另外|重新|补 + 材料|证明|资料|复印|照片|手续|表', '开个证明|开证明|清单上没有|清单里没有|不在清单|没说要|乱要材料|多要材料'],
  ],
  [
    'overdue',
    [
      '月|星期|礼拜|半年|好久|好多天|多天|几天|很久|太久|年 + 还没|还不|没下来|没办好|没办完|没好|没消息|没结果|拖|才',
      '拖|超时|太慢|慢得很|慢死|等了好久|等了半天',
      '说好|答应 + 天|月|号|星期|礼拜',
    ],
  ],
  [
    'shirking',
    ['不来|不管|不理|不办|不接|推来推去|推诿|推给|踢皮球|不归|找不到人|不见人|叫我自己|让我自己|不帮|不给办|没人管|找别人|推给别人|叫我找|让我找|喊我找'],
  ],
];

const compiled: readonly (readonly [ComplaintType, readonly CompiledCue[]])[] = CUES.map(([type, cues]) => [
  type,
  cues.map((c) => compileCue(c, `complaint ${type}`)),
]);

/** The type a story tells, or null when it names none. */
export function readComplaintType(story: string): ComplaintType | null {
  for (const [type, cues] of compiled) if (cues.some((cue) => cueMatches(story, cue))) return type;
  return null;
}

/** A story long enough to be one (not "啊" or "3个"): five letters or more. */
export function isStory(text: string): boolean {
  return hasWords(text) && (text.match(/\p{L}/gu)?.length ?? 0) >= 5;
}
