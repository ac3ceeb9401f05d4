import type { PersonRole } from '../domain/roles.ts';

/**
 * The chat commands of agents, collectors, centre staff and supervisors: the words that start
 * them, who may use them, and the form shown in 帮助 and in every "wrong form" reply.
 * The Chinese words are the commands themselves (what people type), kept here with the grammar.
 */

export const commandNames = [
  'help',
  'claim',
  'accept',
  'return',
  'refuse',
  'submit',
  'feed_back',
  'give_back',
  'suspend',
  'resume',
  'reassign',
  'my_list',
  'overdue',
  'file',
  'collect',
  'start',
  'complete',
  'centre_return',
  'dispatch',
  'confirm_hand_back',
  'pick_up',
  'finish_handling',
  'hand_back',
  'stats',
  'rectify',
] as const;
export type CommandName = (typeof commandNames)[number];

export interface CommandSpec {
  name: CommandName;
  /** The words that start the command (the first is the one shown). */
  words: readonly string[];
  roles: readonly PersonRole[];
  /** The right form, shown in 帮助 and when arguments are wrong. */
  form: string;
  example: string;
}

const AGENT: PersonRole[] = ['agent'];
const CENTRE: PersonRole[] = ['centre_staff'];

/**
 * In help order. `退件` (agent) and `退回` (centre) are the same move by different people. `退还`
 * records that a withdrawn errand's materials were given back to the resident: by an agent of the
 * village, or by the centre's staff while the materials are still at the centre.
 */
export const commandSpecs: readonly CommandSpec[] = [
  { name: 'help', words: ['帮助', '命令', '怎么用'], roles: ['agent', 'collector', 'centre_staff', 'supervisor', 'admin'], form: '帮助', example: '帮助' },
  { name: 'my_list', words: ['待办', '我的待办'], roles: ['agent', 'centre_staff'], form: '待办', example: '待办' },
  { name: 'overdue', words: ['逾期', '超期', '超时'], roles: ['agent', 'centre_staff', 'supervisor'], form: '逾期', example: '逾期' },
  { name: 'claim', words: ['接单'], roles: AGENT, form: '接单 <回执号>', example: '接单 DB261201001' },
  { name: 'accept', words: ['收件'], roles: AGENT, form: '收件 <回执号> [已签委托书]', example: '收件 DB261201001' },
  { name: 'return', words: ['退件'], roles: AGENT, form: '退件 <回执号> <缺少的材料，用顿号分开>', example: '退件 DB261201001 户口簿、结婚证复印件' },
  { name: 'refuse', words: ['不予代办'], roles: AGENT, form: '不予代办 <回执号> <原因>', example: '不予代办 DB261201001 须本人到场采集指纹' },
  { name: 'submit', words: ['递交'], roles: AGENT, form: '递交 <回执号>', example: '递交 DB261201001' },
  { name: 'feed_back', words: ['反馈'], roles: AGENT, form: '反馈 <回执号> [说明]', example: '反馈 DB261201001 新卡已送到家' },
  { name: 'give_back', words: ['退还'], roles: ['agent', 'centre_staff'], form: '退还 <回执号> [说明]', example: '退还 DB261201001 已交给本人' },
  { name: 'suspend', words: ['暂缓'], roles: ['agent', 'centre_staff'], form: '暂缓 <回执号> <原因>', example: '暂缓 DB261201001 等医院出诊断证明' },
  { name: 'resume', words: ['续办'], roles: ['agent', 'centre_staff'], form: '续办 <回执号>', example: '续办 DB261201001' },
  { name: 'reassign', words: ['转交'], roles: ['agent', 'supervisor'], form: '转交 <回执号> @代办员', example: '转交 DB261201001 @王强' },
  { name: 'file', words: ['代办'], roles: AGENT, form: '代办 <村民姓名或手机号> [手机号] <事项> [纸质委托]', example: '代办 张秀花 低保' },
  { name: 'collect', words: ['代收'], roles: ['collector'], form: '代收 <村民姓名或手机号> [手机号] <事项>', example: '代收 张秀花 高龄津贴' },
  { name: 'start', words: ['受理'], roles: CENTRE, form: '受理 <回执号> [办结日期 或 N个工作日]', example: '受理 DB261201001 5个工作日' },
  { name: 'complete', words: ['办结'], roles: CENTRE, form: '办结 <回执号> <结果>', example: '办结 DB261201001 已批准，下月起发放' },
  { name: 'centre_return', words: ['退回'], roles: CENTRE, form: '退回 <回执号> <缺少的材料，用顿号分开>', example: '退回 DB261201001 诊断证明' },
  { name: 'dispatch', words: ['派单'], roles: CENTRE, form: '派单 <村> <事项> <村民> [说明]', example: '派单 石桥村 高龄津贴 张秀花 入户核实' },
  { name: 'confirm_hand_back', words: ['收到'], roles: CENTRE, form: '收到 <回执号>', example: '收到 DB261201001' },
  { name: 'pick_up', words: ['取件'], roles: AGENT, form: '取件 <回执号>', example: '取件 DB261201001' },
  { name: 'finish_handling', words: ['已办'], roles: AGENT, form: '已办 <回执号> [说明]', example: '已办 DB261201001 已入户核实' },
  { name: 'hand_back', words: ['交回'], roles: AGENT, form: '交回 <回执号>', example: '交回 DB261201001' },
  { name: 'stats', words: ['统计'], roles: ['centre_staff', 'supervisor'], form: '统计 [本月|上月]', example: '统计 上月' },
  { name: 'rectify', words: ['整改'], roles: ['supervisor'], form: '整改 <回执号> <整改情况>', example: '整改 DB261201001 已重新办理并当面道歉' },
];

const byName = new Map(commandSpecs.map((s) => [s.name, s]));

export function commandSpec(name: CommandName): CommandSpec {
  const spec = byName.get(name);
  if (!spec) throw new Error(`no command ${name}`);
  return spec;
}

/** The commands a person with these roles may use, in help order. */
export function commandsFor(roles: readonly PersonRole[]): CommandSpec[] {
  return commandSpecs.filter((s) => s.roles.some((r) => roles.includes(r)));
}

/** Staff roles: people with one of these are read as giving commands. */
export const commandRoles: readonly PersonRole[] = ['agent', 'collector', 'centre_staff', 'supervisor', 'admin'];
