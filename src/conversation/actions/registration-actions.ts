import { pinyin } from 'pinyin-pro';
import type { personTags } from '../../domain/roles.ts';
import { compactText, normaliseText } from '../../text/normalise.ts';
import type { ActionSpec } from '../action-spec.ts';
import type { VillageView } from '../flow-context.ts';
import { readNumber } from '../reply-reading.ts';
import { readResidence as residenceOf } from '../residence-reading.ts';

/** First contact: name, home village (by number or a forgiving name match), phone, situation. */

/** Villages are listed by number when there are at most this many; otherwise asked by name. */
export const MAX_LISTED_VILLAGES = 12;

const NAME_RE = /^[\p{Script=Han}A-Za-z·• ]{2,20}$/u;

export const takeName: ActionSpec = {
  outcomes: { ok: ['name'], invalid: [] },
  run({ text }) {
    const name = (text ?? '')
      .normalize('NFKC')
      .trim()
      .replace(/^(?:我叫|我是|叫|名字叫|姓名)[:：]?/, '')
      .replace(/\s+/g, ' ')
      .trim();
    if (!NAME_RE.test(name)) return { outcome: 'invalid' };
    return { outcome: 'ok', set: { name } };
  },
};

const villageChoice = (v: VillageView) => ({ value: v.code, label: `${v.name}（${v.townshipName}）` });

export const listVillages: ActionSpec = {
  outcomes: { listed: ['villageChoices'], preset: ['villageCode'] },
  run({ ctx, data }) {
    // A village's QR code (the scene of a follow) chooses the village; a stale or foreign code is ignored.
    const scene = typeof data.sceneVillage === 'string' ? ctx.villages.find((v) => v.code === data.sceneVillage) : undefined;
    if (scene) return { outcome: 'preset', set: { villageCode: scene.code } };
    const villages = ctx.villages.length <= MAX_LISTED_VILLAGES ? ctx.villages.map(villageChoice) : [];
    return { outcome: 'listed', set: { villageChoices: villages } };
  },
};

function core(name: string): string {
  return compactText(name).replace(/(?:村民委员会|居民委员会|村委会|居委会|社区|村)$/, '');
}

function sound(text: string): string {
  return pinyin(text, { toneType: 'none', type: 'array', nonZh: 'removed' }).join('');
}

/** Villages whose name the text contains or sounds like. */
export function findVillages(text: string, villages: readonly VillageView[]): VillageView[] {
  const t = compactText(text);
  if (!t) return [];
  const exact = villages.filter((v) => compactText(v.name) === t || core(v.name) === t);
  if (exact.length) return exact;
  const contained = villages.filter((v) => {
    const c = core(v.name);
    return c.length >= 2 && (t.includes(c) || (t.length >= 2 && c.includes(t)));
  });
  if (contained.length) return contained;
  const ts = sound(t.replace(/(?:村|社区)$/, ''));
  return ts.length >= 4 ? villages.filter((v) => sound(core(v.name)) === ts || (sound(core(v.name)).length >= 4 && ts.includes(sound(core(v.name))))) : [];
}

export const matchVillage: ActionSpec = {
  outcomes: { found: ['villageCode'], several: ['villageChoices'], none: [] },
  run({ text, ctx }) {
    const found = findVillages(text ?? '', ctx.villages);
    if (found.length === 1 && found[0]) return { outcome: 'found', set: { villageCode: found[0].code } };
    if (found.length > 1) return { outcome: 'several', set: { villageChoices: found.slice(0, 9).map(villageChoice) } };
    return { outcome: 'none' };
  },
};

const PHONE_RE = /^1[3-9]\d{9}$/;

export const takePhone: ActionSpec = {
  outcomes: { ok: ['phone'], skipped: ['phone'], invalid: [] },
  run({ text }) {
    const t = compactText(text ?? '');
    if (/^(?:没有|没得|莫得|无|不方便|跳过|不留)/.test(t)) return { outcome: 'skipped', set: { phone: null } };
    const digits = t.replace(/^\+?86/, '');
    if (PHONE_RE.test(digits)) return { outcome: 'ok', set: { phone: digits } };
    return { outcome: 'invalid' };
  },
};

/**
 * The situation question lists these tags in this order (numbers 1–3); 0 means none of them. Working
 * away (migrant) is not among them: the question before it (住村里/在外地) already answered that.
 */
export const SITUATION_TAGS = ['elderly', 'disabled', 'left_behind'] as const satisfies readonly (typeof personTags)[number][];

export const takeSituation: ActionSpec = {
  outcomes: { ok: ['tags'], invalid: [] },
  run({ text, data }) {
    const t = normaliseText(text ?? '');
    const words = compactText(t);
    const numbers: number[] = [];
    if (/^(?:没有|都不是|都没有|不是|无|没得|莫得|都没得)$/.test(words)) numbers.push(0);
    // "1 3", "1、3", "13" and "一三" all mean choices 1 and 3 (the choices are single digits).
    for (const token of t.match(/\d+|[零一二三]/g) ?? []) {
      for (const ch of /^\d+$/.test(token) ? token.split('') : [token]) {
        const n = readNumber(ch);
        if (n !== null) numbers.push(n);
      }
    }
    if (numbers.length === 0 || numbers.some((n) => n > SITUATION_TAGS.length)) return { outcome: 'invalid' };
    const tags = new Set<string>(numbers.filter((n) => n > 0).map((n) => SITUATION_TAGS[n - 1] as string));
    if (data.living === 'away') tags.add('migrant');
    return { outcome: 'ok', set: { tags: [...tags] } };
  },
};

export const finishRegistration: ActionSpec = {
  outcomes: { has_request: [], plain: [] },
  run({ data, ctx }) {
    const name = typeof data.name === 'string' ? data.name : '';
    const villageCode = typeof data.villageCode === 'string' ? data.villageCode : '';
    const phone = typeof data.phone === 'string' ? data.phone : null;
    const tags = Array.isArray(data.tags) ? data.tags.filter((t): t is string => typeof t === 'string') : [];
    const effects = [{ kind: 'register_person' as const, name, villageCode, phone, tags }];
    const initial = typeof data.initialText === 'string' ? data.initialText : '';
    const wantsErrand = initial !== '' && ctx.matcher.match(initial, 1).length > 0;
    return { outcome: wantsErrand ? 'has_request' : 'plain', effects };
  },
};

/** 住村里/在外地 in the resident's words: "在广东打工", "在深圳", "在家种地". */
export const readResidence: ActionSpec = {
  outcomes: { home: ['living'], away: ['living'], unclear: [] },
  run({ text }) {
    const living = residenceOf(text ?? '');
    return living ? { outcome: living, set: { living } } : { outcome: 'unclear' };
  },
};

export const livingHome: ActionSpec = { outcomes: { done: ['living'] }, run: () => ({ outcome: 'done', set: { living: 'home' } }) };
export const livingAway: ActionSpec = { outcomes: { done: ['living'] }, run: () => ({ outcome: 'done', set: { living: 'away' } }) };
