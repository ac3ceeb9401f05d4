import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAlert } from '../../../src/db/alert-repository.ts';
import { insertOutbox, markOutboxFailed } from '../../../src/db/outbox-repository.ts';
import { fileErrandByChat, homesteadAnswers } from '../../support/intake.ts';
import { openUseCaseApp, type UseCaseApp } from '../../support/use-case-app.ts';

let app: UseCaseApp;
const DAY = 24 * 3_600_000;
const lw = 'lw-agents@chatroom';
const centre = 'qs-centre@chatroom';
let first: string;
let second: string;

beforeAll(async () => {
  app = openUseCaseApp();
  first = await fileErrandByChat(app, 'liu-fang', '宅基地建房', homesteadAnswers);
  second = await fileErrandByChat(app, 'liu-fang', '宅基地建房', homesteadAnswers);
  await app.say('agent-sun', `接单 ${first}`, lw);
  await app.say('agent-sun', `收件 ${first}`, lw);
  await app.say('agent-sun', `递交 ${first}`, lw);
});
afterAll(() => {
  app.close();
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
    await app.say('liu-fang', '4'); // 满意
    await app.say('liu-fang', '投诉 代办员态度不好');
    await app.say('liu-fang', '3');
    // A request withdrawn by the resident was never taken on: it is not counted as 受理.
    const withdrawn = await fileErrandByChat(app, 'zhang-xiuhua', '宅基地建房', homesteadAnswers);
    expect((await app.say('zhang-xiuhua', '撤回')).join('\n')).toContain(withdrawn);
    expect((await app.say('zhang-xiuhua', '确认')).join('\n')).toMatch(/撤回/);
    const [stats] = await app.say('supervisor-zhou', '统计');
    expect(stats).toContain('本月统计（12月1日 周二—12月3日 周四）');
    expect(stats).toContain('【柳湾社区】受理 2 件');
    expect(stats).toMatch(/【柳湾社区】受理 2 件，按时 \d+%，逾期 1 件，平均 2\.0 个工作日，满意 100%，投诉 1 件/);
    expect(stats).toContain('【石桥村】受理 0 件，按时 暂无，逾期 0 件');
    expect((await app.say('agent-sun', '统计', lw))[0]).toContain('只有便民服务中心工作人员或监督单位可以用');
  });

  it('counts per village the reminders and escalations sent and the dead letters of the month', async () => {
    /** The village's delivery line and the county's dead letters, as numbers. */
    const read = (stats: string | undefined, village: string) => {
      const m = new RegExp(`【${village}】[^\\n]*\\n到期提醒 (\\d+) 次，超时上报 (\\d+) 次，未送达消息 (\\d+) 条`).exec(stats ?? '');
      const county = /全县未送达消息共 (\d+) 条/.exec(stats ?? '');
      return { reminders: Number(m?.[1] ?? NaN), escalations: Number(m?.[2] ?? NaN), dead: Number(m?.[3] ?? NaN), county: county ? Number(county[1]) : null };
    };
    const { database } = app;
    const before = read((await app.say('supervisor-zhou', '统计'))[0], '柳湾社区');
    const quietBefore = read((await app.say('supervisor-zhou', '统计'))[0], '石桥村');
    expect(before.reminders).toBeGreaterThanOrEqual(0);

    const errand = database.sqlite
      .prepare('SELECT e.id AS id, d.id AS deadlineId FROM errands e JOIN errand_deadlines d ON d.errand_id = e.id WHERE e.receipt_no = ? LIMIT 1')
      .get(second) as { id: number; deadlineId: number };
    const lastMonth = Date.parse('2026-11-30T10:00:00+08:00');
    const alert = (step: string, at: number) => recordAlert(database, { deadlineId: errand.deadlineId, dueAt: 1, step, errandId: errand.id, at });
    database.write(() => {
      expect([alert('r1', app.clock.now), alert('r0', app.clock.now), alert('e1', app.clock.now), alert('e2', lastMonth)]).toEqual([true, true, true, true]);
      const note = (errandId: number | null) => ({
        channel: 'simulator',
        recipient: 'agent-sun',
        room: null,
        text: '测试',
        kind: 'notification' as const,
        errandId,
      });
      // Written and given up on at once: the worker never sees them pending.
      for (const id of insertOutbox(database, [note(errand.id), note(null)], app.clock.now)) markOutboxFailed(database, id, 'refused', 6, true);
      for (const id of insertOutbox(database, [note(errand.id)], lastMonth)) markOutboxFailed(database, id, 'refused', 6, true);
    });

    const [stats] = await app.say('supervisor-zhou', '统计');
    const after = read(stats, '柳湾社区');
    expect(after).toEqual({ reminders: before.reminders + 2, escalations: before.escalations + 1, dead: before.dead + 1, county: (before.county ?? 0) + 2 });
    expect(read(stats, '石桥村')).toEqual({ ...quietBefore, county: after.county });
    // Last month's rows count there, not here.
    const lastMonthStats = read((await app.say('supervisor-zhou', '统计 上月'))[0], '柳湾社区');
    expect(lastMonthStats).toEqual({ reminders: 0, escalations: 1, dead: 1, county: 1 });
    // Centre staff see their villages' lines, not the county's total.
    const [centreStats] = await app.say('centre-chen', '统计', centre);
    expect(read(centreStats, '柳湾社区')).toEqual({ ...after, county: null });
  });
});
