import { parseReceiptNo } from '../domain/receipt-number.ts';
import { commandSpecs, type CommandName } from './command-catalog.ts';

/**
 * Reads a chat command the forgiving way: full-width or half-width, extra spaces, the bot's
 * @mention before or after, the receipt number with or without its DB prefix and in any case,
 * the verb glued to the number ("接单DB261201001"). Pure; every outcome is a value.
 */

export interface DueDateParts {
  year: number | null;
  month: number;
  day: number;
}

export type StartDue = { kind: 'default' } | { kind: 'days'; days: number } | { kind: 'date'; date: DueDateParts };

export type Command =
  | { name: 'help' }
  | { name: 'my_list' }
  | { name: 'overdue' }
  | { name: 'claim' | 'submit' | 'resume' | 'confirm_hand_back' | 'pick_up' | 'hand_back'; receiptNo: string }
  | { name: 'accept'; receiptNo: string; paperSigned: boolean }
  | { name: 'return' | 'centre_return'; receiptNo: string; items: string[] }
  | { name: 'refuse' | 'suspend'; receiptNo: string; reason: string }
  | { name: 'feed_back' | 'finish_handling' | 'give_back'; receiptNo: string; note: string | null }
  | { name: 'reassign'; receiptNo: string; to: string }
  | { name: 'file' | 'collect'; resident: string; phone: string | null; itemWords: string; paperSigned: boolean }
  | { name: 'start'; receiptNo: string; due: StartDue }
  | { name: 'complete'; receiptNo: string; approved: boolean; result: string }
  | { name: 'dispatch'; village: string; itemWords: string; resident: string; note: string | null }
  | { name: 'stats'; month: 'this' | 'last' }
  | { name: 'rectify'; receiptNo: string; note: string };

export type Problem =
  | 'missing_receipt'
  | 'bad_receipt'
  | 'missing_reason'
  | 'missing_items'
  | 'missing_target'
  | 'missing_resident'
  | 'missing_item'
  | 'bad_due'
  | 'missing_result'
  | 'missing_village'
  | 'extra_arguments';

export type ParseResult =
  { kind: 'none' } | { kind: 'command'; command: Command } | { kind: 'malformed'; name: CommandName; problem: Problem; detail: string | null };

const PAPER_WORDS = ['已签委托书', '委托书已签', '已签委托', '纸质委托', '纸质委托书', '已签'];
const PHONE_RE = /^1[3-9]\d{9}$/;
const NEGATIVE_RESULT = /^(?:不予|不通过|未通过|没通过|不批准|未批准|驳回|不符合|不同意|拒绝)/;

/** Verbs by length, longest first, so 不予代办 wins over 代办. */
const verbs = commandSpecs.flatMap((s) => s.words.map((word) => ({ word, name: s.name }))).sort((a, b) => b.word.length - a.word.length);

/** Full-width letters, digits and @ - . / become ASCII; Chinese punctuation in free text is kept as typed. */
function halfWidth(text: string): string {
  return text.replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A\uFF20\uFF0D\uFF0E\uFF0F]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

function normalise(text: string, botName: string): string {
  const mention = `@${botName}`;
  return halfWidth(text)
    .replace(/[\u200B-\u200F\u2060\uFEFF]/g, '')
    .split(mention)
    .join(' ')
    .replace(/[\s\u3000]+/g, ' ')
    .trim()
    .replace(/^[,，:：。.!！]+|[,，。.!！]+$/g, '')
    .trim();
}

function splitItems(rest: string): string[] {
  return rest
    .split(/[、，,;；/\s]+|和|及/u)
    .map((s) => s.trim())
    .filter(Boolean);
}

function parseDue(rest: string): StartDue | null {
  const t = rest.replace(/\s+/g, '');
  if (!t) return { kind: 'default' };
  const days = /^(\d{1,3})(?:个)?工作日(?:内)?$/.exec(t);
  if (days) return { kind: 'days', days: Number(days[1]) };
  const full = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(t);
  if (full) return { kind: 'date', date: { year: Number(full[1]), month: Number(full[2]), day: Number(full[3]) } };
  const short = /^(\d{1,2})[-/.月](\d{1,2})[日号]?$/.exec(t);
  if (short) return { kind: 'date', date: { year: null, month: Number(short[1]), day: Number(short[2]) } };
  return null;
}

export function parseCommand(raw: string, botName: string): ParseResult {
  const text = normalise(raw, botName);
  const verb = verbs.find((v) => text === v.word || text.startsWith(v.word));
  if (!verb) return { kind: 'none' };
  const name = verb.name;
  const rest = text.slice(verb.word.length).trim();
  const bad = (problem: Problem, detail: string | null = null): ParseResult => ({ kind: 'malformed', name, problem, detail });
  const ok = (command: Command): ParseResult => ({ kind: 'command', command });

  // The verb stands alone or before a space; glued on, only a receipt number may follow it
  // (接单DB261201001). So 代办员是谁, 收件人 or 统计局 are not commands.
  const tail = text.slice(verb.word.length);
  if (tail !== '' && !tail.startsWith(' ') && !/^(?:db)?\d/i.test(tail)) return { kind: 'none' };

  switch (name) {
    case 'help':
    case 'my_list':
    case 'overdue':
      return ok({ name });
    case 'stats': {
      if (!rest || /^本月$/.test(rest)) return ok({ name, month: 'this' });
      if (/^上月$|^上个月$/.test(rest)) return ok({ name, month: 'last' });
      return bad('extra_arguments', rest);
    }
    case 'file':
    case 'collect': {
      const tokens = rest.split(' ').filter(Boolean);
      const paperSigned = tokens.length > 0 && PAPER_WORDS.includes(tokens[tokens.length - 1] as string);
      if (paperSigned) tokens.pop();
      const resident = tokens.shift();
      if (!resident) return bad('missing_resident');
      const phone = tokens[0] && PHONE_RE.test(tokens[0]) ? (tokens.shift() ?? null) : null;
      const itemWords = tokens.join(' ');
      if (!itemWords) return bad('missing_item');
      return ok({ name, resident, phone, itemWords, paperSigned: name === 'file' && paperSigned });
    }
    case 'dispatch': {
      const tokens = rest.split(' ').filter(Boolean);
      const [village, itemWords, resident, ...note] = tokens;
      if (!village) return bad('missing_village');
      if (!itemWords) return bad('missing_item');
      if (!resident) return bad('missing_resident');
      return ok({ name, village, itemWords, resident, note: note.join(' ') || null });
    }
    default:
      break;
  }

  // Every other command starts with a receipt number: DB261201001, db 261201-001, 261201001.
  if (!rest) return bad('missing_receipt');
  const match = /^((?:db\s*)?\d{6}[-\s]?\d{3,6})(?=\s|$)(.*)$/i.exec(rest);
  const receiptNo = match ? parseReceiptNo(match[1] ?? '') : null;
  if (!match || !receiptNo) return bad('bad_receipt', rest.split(' ')[0] ?? rest);
  const after = (match[2] ?? '').trim();

  switch (name) {
    case 'claim':
    case 'submit':
    case 'resume':
    case 'confirm_hand_back':
    case 'pick_up':
    case 'hand_back':
      return after ? bad('extra_arguments', after) : ok({ name, receiptNo });
    case 'accept': {
      if (!after) return ok({ name, receiptNo, paperSigned: false });
      return PAPER_WORDS.includes(after.replace(/\s+/g, '')) ? ok({ name, receiptNo, paperSigned: true }) : bad('extra_arguments', after);
    }
    case 'return':
    case 'centre_return': {
      const items = splitItems(after);
      return items.length ? ok({ name, receiptNo, items }) : bad('missing_items');
    }
    case 'refuse':
    case 'suspend':
      return after ? ok({ name, receiptNo, reason: after }) : bad('missing_reason');
    case 'feed_back':
    case 'finish_handling':
    case 'give_back':
      return ok({ name, receiptNo, note: after || null });
    case 'reassign': {
      const to = after.replace(/^@+/, '').trim();
      return to ? ok({ name, receiptNo, to }) : bad('missing_target');
    }
    case 'start': {
      const due = parseDue(after);
      return due ? ok({ name, receiptNo, due }) : bad('bad_due', after);
    }
    case 'complete':
      return after ? ok({ name, receiptNo, approved: !NEGATIVE_RESULT.test(after), result: after }) : bad('missing_result');
    case 'rectify':
      return after ? ok({ name, receiptNo, note: after }) : bad('missing_reason');
    default:
      return { kind: 'none' };
  }
}
