import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileErrandByChat, homesteadAnswers } from '../support/intake.ts';
import { openUseCaseApp, type UseCaseApp } from '../support/use-case-app.ts';

/**
 * Everyone in a group reads what the bot says there: no command, reply or notice in a group carries a
 * resident's (or a family member's) full name or phone, whatever the command; and a command given in
 * a group acts only within that group's village or township.
 */

const SQ = 'sq-agents@chatroom';
const BH = 'bh-agents@chatroom';
const LW = 'lw-agents@chatroom';
const CENTRE = 'qs-centre@chatroom';
const ROOMS = [SQ, BH, LW, CENTRE];
/** The demo residents' full names and phones, and the family member filed for below. */
const SECRETS = ['张秀花', '13900000011', '王小军', '13900000012', '王秀英', '13700003333', '石桥村3组屋头', '刘芳', '13900000013', '赵大山', '13700002222'];

let app: UseCaseApp;
const roomReplies: string[] = [];

beforeAll(() => {
  app = openUseCaseApp();
});
afterAll(() => {
  app.close();
});

/** A command in a group; its replies are kept for the final check. */
async function inRoom(from: string, text: string, room: string): Promise<string> {
  const replies = await app.say(from, text, room);
  roomReplies.push(...replies);
  return replies.join('\n');
}

const leaks = (texts: readonly string[]) => texts.filter((t) => SECRETS.some((s) => t.includes(s)));

describe('group chats', () => {
  it('answer every command with the resident’s name masked and no phone, across whole errand lives', async () => {
    // 代办 with a phone: the answer once said "已为张秀兰登记代办…" to anyone in the group.
    const filed = await inRoom('agent-li', '代办 张秀花 13900000011 宅基地建房 已签委托书', SQ);
    expect(filed).toContain('已为张*花登记代办');
    const receipt = /DB\d{9}/.exec(filed)?.[0] ?? '';
    // A walk-in the agent enters by name and phone.
    const walkIn = await inRoom('agent-li', '代办 赵大山 13700002222 宅基地建房 已签委托书', SQ);
    expect(walkIn).toContain('已为赵*山登记代办');

    for (const [from, text, room] of [
      ['agent-li', '待办', SQ],
      ['agent-li', `退件 ${receipt} 户口簿`, SQ],
      ['agent-li', `收件 ${receipt}`, SQ],
      ['agent-li', `递交 ${receipt}`, SQ],
      ['centre-chen', '待办', CENTRE],
      ['centre-chen', `受理 ${receipt} 5个工作日`, CENTRE],
      ['centre-chen', `暂缓 ${receipt} 等国土所现场核查`, CENTRE],
      ['centre-chen', `续办 ${receipt}`, CENTRE],
      ['centre-chen', `办结 ${receipt} 已批准`, CENTRE],
      ['agent-li', `反馈 ${receipt} 批复已送到家`, SQ],
      ['centre-chen', '派单 石桥村 高龄津贴 张秀花 入户核实', CENTRE],
      ['supervisor-zhou', '逾期', SQ],
      ['centre-chen', '统计', CENTRE],
    ] as const) {
      const reply = await inRoom(from, text, room);
      expect(reply, text).not.toMatch(/没有找到|格式不对|不能用/);
    }

    // A family member's errand: the paper-entrustment answer names the beneficiary.
    const family = await fileErrandByChat(app, 'wang-xiaojun', '宅基地建房', [
      '1',
      '2',
      '王秀英',
      '母亲',
      '4',
      '13700003333',
      '石桥村3组屋头',
      '同意',
      '知道了',
      '1',
    ]);
    await inRoom('agent-li', `接单 ${family}`, SQ);
    const paper = await inRoom('agent-li', `收件 ${family}`, SQ);
    expect(paper).toContain('王*英');

    await app.settle();
    const roomOutbox = (await Promise.all(ROOMS.map((room) => app.outbox({ room })))).flat().map((m) => m.text);
    expect(roomOutbox.length).toBeGreaterThan(5);
    expect(leaks(roomReplies)).toEqual([]);
    expect(leaks(roomOutbox)).toEqual([]);
    // The details still reach the agent privately.
    const privately = (await app.outbox({ to: 'agent-li' })).map((m) => m.text).join('\n');
    expect(privately).toContain('张秀花');
  });

  it('answer a liu-fang errand in her own village’s group masked too', async () => {
    const receipt = await fileErrandByChat(app, 'liu-fang', '宅基地建房', homesteadAnswers);
    const claimed = await inRoom('agent-sun', `接单 ${receipt}`, LW);
    expect(claimed).toContain('刘*');
    expect(leaks([claimed])).toEqual([]);
  });
});

describe('a command in a group', () => {
  it('is declined in another village’s group, naming nothing', async () => {
    const receipt = await fileErrandByChat(app, 'liu-fang', '宅基地建房', homesteadAnswers);
    // 孙建国 is 柳湾社区's agent: in 石桥村's group neither his list nor his errand is answered.
    const list = await app.say('agent-sun', '待办', SQ);
    expect(list.join('\n')).toContain('这是石桥村的群，这条命令在这里不能用');
    expect(list.join('\n')).not.toContain(receipt);
    const claim = await app.say('agent-sun', `接单 ${receipt}`, SQ);
    expect(claim.join('\n')).toContain('这条命令在这里不能用');
    const stillOpen = app.database.sqlite.prepare<[string], { status: string }>('SELECT status FROM errands WHERE receipt_no = ?').get(receipt);
    expect(stillOpen?.status).toBe('requested');
    // In his own group it works.
    expect((await app.say('agent-sun', `接单 ${receipt}`, LW)).join('\n')).toContain('由孙建国接单');
  });

  it('reaches only the group’s own errands, even for a county-wide supervisor', async () => {
    const receipt = await fileErrandByChat(app, 'wang-xiaojun', '宅基地建房', homesteadAnswers);
    const other = await app.say('supervisor-zhou', `转交 ${receipt} @孙建国`, LW);
    expect(other.join('\n')).toContain(`${receipt} 不归本群（柳湾社区）`);
    const stats = (await app.say('supervisor-zhou', '统计', LW)).join('\n');
    expect(stats).toContain('【柳湾社区】');
    expect(stats).not.toContain('【石桥村】');
    // Privately the supervisor still sees the county.
    const county = (await app.say('supervisor-zhou', '统计')).join('\n');
    expect(county).toContain('【石桥村】');
    expect(county).toContain('【柳湾社区】');
  });
});
