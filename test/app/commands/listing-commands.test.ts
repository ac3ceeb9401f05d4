import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileErrandByChat, homesteadAnswers } from '../../support/intake.ts';
import { startTestApp, type TestApp } from '../../support/test-app.ts';

let app: TestApp;
const DAY = 24 * 3_600_000;
const lw = 'lw-agents@chatroom';
const centre = 'qs-centre@chatroom';
let first: string;
let second: string;

beforeAll(async () => {
  app = await startTestApp();
  first = await fileErrandByChat(app, 'liu-fang', '宅基地建房', homesteadAnswers);
  second = await fileErrandByChat(app, 'liu-fang', '宅基地建房', homesteadAnswers);
  await app.say('agent-sun', `接单 ${first}`, lw);
  await app.say('agent-sun', `收件 ${first}`, lw);
  await app.say('agent-sun', `递交 ${first}`, lw);
});
afterAll(async () => {
  await app.close();
});

describe('待办, 逾期 and 统计', () => {
  it('lists an agent’s errands and the village’s unclaimed ones, masked in the group and named in private', async () => {
    const [inRoom] = await app.say('agent-sun', '待办', lw);
    expect(inRoom).toContain('您的待办（共 2 件）');
    expect(inRoom).toContain(`${second} 农村宅基地和建房申请（柳湾社区 刘*）等代办员接单，接单期限 12月2日 周三`);
    expect(inRoom).toContain(`${first} 农村宅基地和建房申请（柳湾社区 刘*）已送到便民服务中心，等窗口受理`);
    const [inPrivate] = await app.say('agent-sun', '待办');
    expect(inPrivate).toContain('（刘芳）');
    const [other] = await app.say('agent-li', '待办', 'sq-agents@chatroom');
    expect(other).toBe('您的待办：没有。');
  });

  it('lists what waits at the centre for its staff', async () => {
    const [list] = await app.say('centre-chen', '待办', centre);
    expect(list).toContain('中心待办（共 1 件）');
    expect(list).toContain(first);
    expect(list).not.toContain(second);
  });

  it('lists overdue errands once a deadline has passed', async () => {
    expect((await app.say('agent-sun', '逾期', lw))[0]).toBe('逾期的代办：没有。');
    app.clock.now += 2 * DAY;
    const [overdue] = await app.say('agent-sun', '逾期', lw);
    expect(overdue).toContain(`${second} 农村宅基地和建房申请`);
    expect(overdue).toContain('（已超时）');
    expect((await app.say('supervisor-zhou', '逾期'))[0]).toContain(second);
    expect((await app.say('agent-li', '逾期', 'sq-agents@chatroom'))[0]).toBe('逾期的代办：没有。');
  });

  it('counts per village: errands, on-time rate, overdue, working days, satisfaction, complaints', async () => {
    await app.say('centre-chen', `受理 ${first} 3个工作日`, centre);
    await app.say('centre-chen', `办结 ${first} 已批准`, centre);
    await app.say('agent-sun', `反馈 ${first}`);
    await app.say('liu-fang', '2');
    await app.say('liu-fang', '投诉 代办员态度不好');
    await app.say('liu-fang', '3');
    const [stats] = await app.say('supervisor-zhou', '统计');
    expect(stats).toContain('本月统计（12月1日 周二—12月3日 周四）');
    expect(stats).toContain('【柳湾社区】受理 2 件');
    expect(stats).toMatch(/【柳湾社区】受理 2 件，按时 \d+%，逾期 1 件，平均 2\.0 个工作日，满意 100%，投诉 1 件/);
    expect(stats).toContain('【石桥村】受理 0 件，按时 暂无，逾期 0 件');
    expect((await app.say('agent-sun', '统计', lw))[0]).toContain('只有便民服务中心工作人员或监督单位可以用');
  });
});
