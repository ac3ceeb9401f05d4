import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { materialReturnOf } from '../../src/db/material-return-repository.ts';
import { fileErrandByChat, homesteadAnswers } from '../support/intake.ts';
import { openUseCaseApp, type UseCaseApp } from '../support/use-case-app.ts';

/**
 * Withdrawing at each stage and what becomes of the materials (domain/material-custody.ts): nothing
 * taken in, with the agent, delivered to the centre; the return task, its clock and 待办; 退还 and
 * every way it can be wrong.
 */

let app: UseCaseApp;
const lw = 'lw-agents@chatroom';
const centre = 'qs-centre@chatroom';
const DAY = 24 * 3_600_000;

beforeAll(() => {
  app = openUseCaseApp();
});
afterAll(() => {
  app.close();
});

const file = () => fileErrandByChat(app, 'liu-fang', '宅基地建房', homesteadAnswers);
const errandId = (receipt: string) => app.database.sqlite.prepare<[string], { id: number }>('SELECT id FROM errands WHERE receipt_no = ?').get(receipt)!.id;
const returnClock = (receipt: string) =>
  app.database.sqlite
    .prepare<[number], { status: string; dueDate: string }>(
      "SELECT status, due_date AS dueDate FROM errand_deadlines WHERE errand_id = ? AND kind = 'materials_return'",
    )
    .get(errandId(receipt));
const newest = async (query: { to: string } | { room: string }) => {
  await app.settle();
  return app.written(query).at(-1)?.text ?? '';
};

async function run(...steps: [from: string, text: string, room?: string][]) {
  for (const [from, text, room] of steps) {
    const [reply] = await app.say(from, text, room ?? null);
    if (!reply || /不能|没有找到|格式不对/.test(reply)) throw new Error(`${text} was refused: ${reply ?? '(no reply)'}`);
  }
}

describe('withdrawing, and the materials taken in', () => {
  it('before 收件: says nothing is to be returned, and 退还 explains there is nothing held', async () => {
    const receipt = await file();
    await run(['agent-sun', `接单 ${receipt}`, lw]);
    const [confirm] = await app.say('liu-fang', `撤回 ${receipt}`);
    expect(confirm).toContain('您还没有交材料，不用退什么。');
    expect((await app.say('liu-fang', '1'))[0]).toBe('已经撤回了，代办员会收到通知。以后需要随时找我。');
    expect(materialReturnOf(app.database, errandId(receipt))).toBeUndefined();
    expect(returnClock(receipt)).toBeUndefined();
    expect((await app.say('agent-sun', `退还 ${receipt}`, lw))[0]).toBe(`${receipt} 撤回时还没收件，没有要退还的材料。`);
  });

  it('answers 退还 on an errand not withdrawn, an unknown number and a missing one clearly', async () => {
    const receipt = await file();
    await run(['agent-sun', `接单 ${receipt}`, lw], ['agent-sun', `收件 ${receipt}`, lw]);
    expect((await app.say('agent-sun', `退还 ${receipt}`, lw))[0]).toBe(`${receipt} 没有撤回（现在是“材料收齐了，等代办员送到窗口”），材料不用退还。`);
    expect((await app.say('agent-sun', '退还 DB261130999', lw))[0]).toBe('没有找到回执号 DB261130999，请核对号码。');
    expect((await app.say('agent-sun', '退还', lw))[0]).toContain('缺少回执号');
    expect((await app.say('agent-li', `退还 ${receipt}`))[0]).toBe(`${receipt} 不是您村的代办，请由柳湾社区的代办员办理。`);
    expect((await app.say('liu-fang', `退还 ${receipt}`))[0]).not.toContain('已记录');
  });

  it('after 收件: the agent gets the task with the list and a clock, 待办 shows it, centre staff may not record it, 退还 records it once', async () => {
    const receipt = await file();
    await run(['agent-sun', `接单 ${receipt}`, lw], ['agent-sun', `收件 ${receipt}`, lw]);
    const [confirm] = await app.say('liu-fang', `撤回 ${receipt}`);
    expect(confirm).toContain('您交给代办员的材料会退还给您：');
    expect(confirm).toContain('农村宅基地和建房（规划许可）申请表');
    const [done] = await app.say('liu-fang', '不办了');
    expect(done).toContain('代办员孙建国会尽快把材料退还给您');

    const task = await newest({ to: 'agent-sun' });
    expect(task).toContain(`【已撤回，请退还材料】${receipt}`);
    expect(task).toContain('村民：刘芳，电话 13900000013');
    expect(task).toContain(`退还后回复：退还 ${receipt}`);
    const room = await newest({ room: lw });
    expect(room).toContain('（刘*）');
    expect(room).not.toContain('13900000013');
    expect(returnClock(receipt)).toMatchObject({ status: 'running' });

    expect((await app.say('agent-sun', '待办'))[0]).toContain(`待退还材料（1 件`);
    expect((await app.say('centre-chen', `退还 ${receipt}`, centre))[0]).toBe(`${receipt} 的材料在代办员孙建国手里，由代办员退还。`);

    // Overdue returns show in 逾期 as any clock does.
    app.clock.now += 5 * DAY;
    expect((await app.say('agent-sun', '逾期'))[0]).toContain(`${receipt} 农村宅基地和建房申请（刘芳）已撤回，退还材料期限`);

    expect((await app.say('agent-sun', `退还 ${receipt} 放在她家门口了`))[0]).toContain(`已记录：${receipt} 的材料已退还`);
    expect(await newest({ to: 'liu-fang' })).toContain('材料已退还');
    expect(materialReturnOf(app.database, errandId(receipt))).toMatchObject({ returnedBy: 'sun', returnedRole: 'agent', note: '放在她家门口了' });
    // Late: the clock stays breached, as the record of it.
    expect(returnClock(receipt)).toMatchObject({ status: 'breached' });
    expect((await app.say('agent-sun', `退还 ${receipt}`))[0]).toMatch(new RegExp(`^${receipt} 的材料已在.*退还过了（孙建国），不用再发。$`));
    expect((await app.say('agent-sun', '待办'))[0]).not.toContain(receipt);
    expect((await app.say('liu-fang', `查询 ${receipt}`))[0]).toContain('材料已退还：放在她家门口了');
  });

  it('once the centre has taken it on: the centre is told to stop, the agent fetches the materials, and centre staff may record their return', async () => {
    const receipt = await file();
    await run(
      ['agent-sun', `接单 ${receipt}`, lw],
      ['agent-sun', `收件 ${receipt}`, lw],
      ['agent-sun', `递交 ${receipt}`, lw],
      ['centre-chen', `受理 ${receipt} 5个工作日`, centre],
    );
    const [confirm] = await app.say('liu-fang', `撤回 ${receipt}`);
    expect(confirm).toContain('便民服务中心也会停下');
    expect(confirm).toContain('材料已经送到便民服务中心，代办员会取回来，再退还给您：');
    await app.say('liu-fang', '确认撤回');
    expect(await newest({ room: centre })).toBe(
      `【已撤回】${receipt} 农村宅基地和建房申请（柳湾社区 刘*）：村民已撤回，请停止办理，把材料交给代办员孙建国带回退还。`,
    );
    expect(await newest({ to: 'agent-sun' })).toContain('材料已送到青山镇便民服务中心，请取回来退还给村民');
    expect((await app.say('centre-chen', '待办', centre))[0]).toContain('材料在服务中心');
    expect((await app.say('centre-chen', `退还 ${receipt} 本人来中心取走了`, centre))[0]).toContain('已记录');
    expect(materialReturnOf(app.database, errandId(receipt))).toMatchObject({ heldAt: 'centre', returnedBy: 'chen', returnedRole: 'centre_staff' });
    expect(returnClock(receipt)).toMatchObject({ status: 'met' });
  });

  it('offers every open errand for withdrawal, however many the resident has', async () => {
    const other = openUseCaseApp();
    try {
      const receipts: string[] = [];
      for (let i = 0; i < 11; i++) receipts.push(await fileErrandByChat(other, 'liu-fang', '宅基地建房', homesteadAnswers));
      const [choose] = await other.say('liu-fang', '撤回');
      for (const receipt of receipts) expect(choose).toContain(receipt);
      expect(choose).toContain('11. ');
    } finally {
      other.close();
    }
  });
});
