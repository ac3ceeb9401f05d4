import { findReceiptNo } from '../../domain/receipt-number.ts';
import { clip, hasWords, normaliseText } from '../../text/normalise.ts';
import type { ActionSpec } from '../action-spec.ts';
import { dataText } from '../conversation-state.ts';
import { isStory, readComplaintType } from '../complaint-reading.ts';
import { complaintTypes, type ComplaintType } from '../effects.ts';

/** The agent's contact, a message to the agent, and complaints. */

export const MAX_FREE_TEXT = 500;

export const checkAgent: ActionSpec = {
  outcomes: { has_agent: [], no_agent: [] },
  run: ({ ctx }) => ({ outcome: ctx.agent ? 'has_agent' : 'no_agent' }),
};

export const takeAgentMessage: ActionSpec = {
  outcomes: { ok: ['message'] },
  run({ text }) {
    return { outcome: 'ok', set: { message: clip(normaliseText(text ?? ''), MAX_FREE_TEXT) } };
  },
};

export const skipAgentMessage: ActionSpec = {
  outcomes: { ok: ['message'] },
  run: () => ({ outcome: 'ok', set: { message: null } }),
};

export const contactAgent: ActionSpec = {
  outcomes: { done: [] },
  run({ data }) {
    const message = typeof data.message === 'string' && data.message ? data.message : null;
    return { outcome: 'done', effects: [{ kind: 'contact_agent', message }] };
  },
};

/** One action per complaint type option (1 推诿不办, 2 擅自增加要求, …). */
export function complaintTypeOption(type: ComplaintType): ActionSpec {
  return { outcomes: { ok: ['complaintType'] }, run: () => ({ outcome: 'ok', set: { complaintType: type } }) };
}

export const takeComplaintText: ActionSpec = {
  outcomes: { ok: ['complaintText', 'receiptNo'], invalid: [] },
  run({ text }) {
    if (!text || !hasWords(text)) return { outcome: 'invalid' };
    const complaintText = clip(text.trim().normalize('NFKC'), MAX_FREE_TEXT);
    return { outcome: 'ok', set: { complaintText, receiptNo: findReceiptNo(text) } };
  },
};

export const recordComplaint: ActionSpec = {
  outcomes: { done: [] },
  results: ['complaintDue'],
  run({ data }) {
    const type = complaintTypes.find((t) => t === data.complaintType) ?? 'other';
    const receiptNo = typeof data.receiptNo === 'string' ? data.receiptNo : null;
    return { outcome: 'done', effects: [{ kind: 'record_complaint', type, text: dataText(data.complaintText), receiptNo }] };
  },
};

/** The story a complaint starts with ("我要投诉李明不来收材料"): its type read from it, recorded without asking; otherwise the type is asked. */
export const readComplaintStory: ActionSpec = {
  outcomes: { read: ['complaintType', 'complaintText', 'receiptNo'], ask: [] },
  run({ data }) {
    const initial = dataText(data.initialText);
    const type = hasWords(initial) ? readComplaintType(initial) : null;
    if (!type) return { outcome: 'ask' };
    return { outcome: 'read', set: { complaintType: type, complaintText: clip(initial.trim(), MAX_FREE_TEXT), receiptNo: findReceiptNo(initial) } };
  },
};

/** A story told at the type question ("代办员收了我50块钱跑路费"): its type, or 其他问题 when it names none. */
export const takeComplaintStory: ActionSpec = {
  outcomes: { story: ['complaintType', 'complaintText', 'receiptNo'], unclear: [] },
  run({ text }) {
    const story = (text ?? '').trim();
    const type = readComplaintType(story) ?? (isStory(story) ? 'other' : null);
    if (!type) return { outcome: 'unclear' };
    return { outcome: 'story', set: { complaintType: type, complaintText: clip(story.normalize('NFKC'), MAX_FREE_TEXT), receiptNo: findReceiptNo(story) } };
  },
};

/** A complaint typed straight after 投诉 (e.g. "投诉 代办员不接电话") skips the question. */
export const checkComplaintText: ActionSpec = {
  outcomes: { given: ['complaintText', 'receiptNo'], ask: [] },
  run({ data }) {
    const initial = typeof data.initialText === 'string' ? data.initialText : '';
    if (!hasWords(initial)) return { outcome: 'ask' };
    return { outcome: 'given', set: { complaintText: clip(initial.trim(), MAX_FREE_TEXT), receiptNo: findReceiptNo(initial) } };
  },
};
