import { describe, expect, it } from 'vitest';
import { parseCommand, type Command, type Problem } from '../../src/commands/command-grammar.ts';

const parse = (text: string) => parseCommand(text, '代办助手');

describe('reading chat commands', () => {
  it.each<[string, Command]>([
    ['接单 DB261201001', { name: 'claim', receiptNo: 'DB261201001' }],
    ['接单 db261201001', { name: 'claim', receiptNo: 'DB261201001' }],
    ['接单 261201001', { name: 'claim', receiptNo: 'DB261201001' }],
    ['接单DB261201001', { name: 'claim', receiptNo: 'DB261201001' }],
    ['接单ＤＢ２６１２０１００１', { name: 'claim', receiptNo: 'DB261201001' }],
    ['@代办助手 接单 DB261201001', { name: 'claim', receiptNo: 'DB261201001' }],
    ['接单 DB261201001 @代办助手', { name: 'claim', receiptNo: 'DB261201001' }],
    ['@代办助手\u2005接单   DB 261201-001 ', { name: 'claim', receiptNo: 'DB261201001' }],
    ['接单 DB261201001。', { name: 'claim', receiptNo: 'DB261201001' }],
    ['收件 DB261201001', { name: 'accept', receiptNo: 'DB261201001', paperSigned: false }],
    ['收件 DB261201001 已签委托书', { name: 'accept', receiptNo: 'DB261201001', paperSigned: true }],
    ['退件 DB261201001 户口簿、结婚证复印件，照片', { name: 'return', receiptNo: 'DB261201001', items: ['户口簿', '结婚证复印件', '照片'] }],
    ['退回 DB261201001 诊断证明 和 出院小结', { name: 'centre_return', receiptNo: 'DB261201001', items: ['诊断证明', '出院小结'] }],
    ['不予代办 DB261201001 须本人到场', { name: 'refuse', receiptNo: 'DB261201001', reason: '须本人到场' }],
    ['递交 DB261201001', { name: 'submit', receiptNo: 'DB261201001' }],
    ['反馈 DB261201001', { name: 'feed_back', receiptNo: 'DB261201001', note: null }],
    ['反馈 DB261201001 新卡已送到家', { name: 'feed_back', receiptNo: 'DB261201001', note: '新卡已送到家' }],
    ['退还 DB261201001', { name: 'give_back', receiptNo: 'DB261201001', note: null }],
    ['退还DB261201001 已交给本人', { name: 'give_back', receiptNo: 'DB261201001', note: '已交给本人' }],
    ['@代办助手 退还 261201001 户口簿交给她儿子了', { name: 'give_back', receiptNo: 'DB261201001', note: '户口簿交给她儿子了' }],
    ['暂缓 DB261201001 等诊断证明', { name: 'suspend', receiptNo: 'DB261201001', reason: '等诊断证明' }],
    ['续办 DB261201001', { name: 'resume', receiptNo: 'DB261201001' }],
    ['转交 DB261201001 @王强', { name: 'reassign', receiptNo: 'DB261201001', to: '王强' }],
    ['待办', { name: 'my_list' }],
    ['逾期', { name: 'overdue' }],
    ['帮助', { name: 'help' }],
    ['代办 张秀花 低保', { name: 'file', resident: '张秀花', phone: null, itemWords: '低保', paperSigned: false }],
    ['代办 王大妈 13800001111 高龄 津贴 纸质委托', { name: 'file', resident: '王大妈', phone: '13800001111', itemWords: '高龄 津贴', paperSigned: true }],
    ['代收 13800001111 医保缴费', { name: 'collect', resident: '13800001111', phone: null, itemWords: '医保缴费', paperSigned: false }],
    ['受理 DB261201001', { name: 'start', receiptNo: 'DB261201001', due: { kind: 'default' } }],
    ['受理 DB261201001 5个工作日', { name: 'start', receiptNo: 'DB261201001', due: { kind: 'days', days: 5 } }],
    ['受理 DB261201001 12月10日', { name: 'start', receiptNo: 'DB261201001', due: { kind: 'date', date: { year: null, month: 12, day: 10 } } }],
    ['受理 DB261201001 2027-01-08', { name: 'start', receiptNo: 'DB261201001', due: { kind: 'date', date: { year: 2027, month: 1, day: 8 } } }],
    ['办结 DB261201001 已批准', { name: 'complete', receiptNo: 'DB261201001', approved: true, result: '已批准' }],
    ['办结 DB261201001 不予批准，收入超标', { name: 'complete', receiptNo: 'DB261201001', approved: false, result: '不予批准，收入超标' }],
    ['派单 石桥村 高龄津贴 张秀花 入户核实', { name: 'dispatch', village: '石桥村', itemWords: '高龄津贴', resident: '张秀花', note: '入户核实' }],
    ['收到 DB261201001', { name: 'confirm_hand_back', receiptNo: 'DB261201001' }],
    ['取件 DB261201001', { name: 'pick_up', receiptNo: 'DB261201001' }],
    ['已办 DB261201001 已入户', { name: 'finish_handling', receiptNo: 'DB261201001', note: '已入户' }],
    ['交回 DB261201001', { name: 'hand_back', receiptNo: 'DB261201001' }],
    ['统计', { name: 'stats', month: 'this' }],
    ['统计 上月', { name: 'stats', month: 'last' }],
    ['整改 DB261201001 已重新办理', { name: 'rectify', receiptNo: 'DB261201001', note: '已重新办理' }],
  ])('%j', (text, command) => {
    expect(parse(text)).toEqual({ kind: 'command', command });
  });

  it.each<[string, string, Problem, string | null]>([
    ['接单', 'claim', 'missing_receipt', null],
    ['接单 DB2612', 'claim', 'bad_receipt', 'DB2612'],
    ['接单 13812345678', 'claim', 'bad_receipt', '13812345678'],
    ['接单 DB261201001 快点', 'claim', 'extra_arguments', '快点'],
    ['收件 DB261201001 马上', 'accept', 'extra_arguments', '马上'],
    ['退件 DB261201001', 'return', 'missing_items', null],
    ['退还', 'give_back', 'missing_receipt', null],
    ['退还 户口簿', 'give_back', 'bad_receipt', '户口簿'],
    ['不予代办 DB261201001', 'refuse', 'missing_reason', null],
    ['暂缓 DB261201001', 'suspend', 'missing_reason', null],
    ['转交 DB261201001', 'reassign', 'missing_target', null],
    ['代办', 'file', 'missing_resident', null],
    ['代办 张秀花', 'file', 'missing_item', null],
    ['受理 DB261201001 明天', 'start', 'bad_due', '明天'],
    ['办结 DB261201001', 'complete', 'missing_result', null],
    ['派单 石桥村 高龄津贴', 'dispatch', 'missing_resident', null],
    ['统计 去年', 'stats', 'extra_arguments', '去年'],
  ])('%j names the problem', (text, name, problem, detail) => {
    expect(parse(text)).toEqual({ kind: 'malformed', name, problem, detail });
  });

  it.each(['代办员是谁', '我的代办', '收件人是谁', '统计局电话', '你好', '接单员', '查询 DB261201001', '', '   '])('%j is not a command', (text) => {
    expect(parse(text)).toEqual({ kind: 'none' });
  });
});
