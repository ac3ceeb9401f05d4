import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fedBackErrand, fileErrandByChat, homesteadAnswers } from '../../support/intake.ts';
import { openUseCaseApp, type UseCaseApp } from '../../support/use-case-app.ts';

/**
 * After a bad review: a rectification case with its own deadline goes to the supervisor, the agent
 * learns nothing about who rated what, `整改` asks the resident to rate the fix, and a fix still
 * rated bad goes back to the supervisor. Also: a return that demands a material the catalogue does
 * not require is recorded as an added obligation and reported to the supervisor.
 */

let app: UseCaseApp;
beforeAll(() => {
  app = openUseCaseApp();
});
afterAll(() => {
  app.close();
});

const lw = 'lw-agents@chatroom';
const sql = <T>(query: string, ...params: unknown[]) => app.database.sqlite.prepare(query).all(...params) as T[];

async function run(steps: readonly (readonly [string, string, string | null])[]) {
  for (const [from, text, room] of steps) {
    const [reply] = await app.say(from, text, room);
    expect(reply, text).not.toMatch(/不能|没有找到|格式不对/);
  }
}

const texts = async (query: { to?: string; room?: string }) => (await app.outbox(query)).map((m) => m.text);

describe('a bad review', () => {
  it('opens a rectification case for the supervisor, hidden from the agent; the resident rates the fix', async () => {
    const receipt = await fedBackErrand(app);
    const agentBefore = (await texts({ to: 'agent-sun' })).length;
    const roomBefore = (await texts({ room: lw })).length;

    // 2 is 不满意 (numbered like stars: 5 非常满意 … 1 非常不满意), a bad review.
    const [why] = await app.say('liu-fang', '2');
    expect(why).toContain('您打的是：2 不满意（两星）');
    expect(why).toContain('是什么原因');
    const [thanks] = await app.say('liu-fang', '2');
    expect(thanks).toContain('整改后请您再评价');

    // The case: its own deadline, DEADLINE_RECTIFICATION_DAYS (15) working days from Tue 2026-12-01.
    const cases = sql<{ status: string; dueDate: string }>(
      'SELECT c.status, c.due_date AS dueDate FROM rectification_cases c JOIN errands e ON e.id = c.errand_id WHERE e.receipt_no = ?',
      receipt,
    );
    expect(cases).toEqual([{ status: 'open', dueDate: '2026-12-22' }]);
    await app.settle();
    const toSupervisor = await texts({ to: 'supervisor-zhou' });
    expect(toSupervisor.at(-1)).toContain(`【差评】${receipt}`);
    expect(toSupervisor.at(-1)).toContain('评分：不满意（2星）；原因：太慢了');

    // The agent and the village group hear nothing of the rating.
    expect((await texts({ to: 'agent-sun' })).slice(agentBefore)).toEqual([]);
    expect((await texts({ room: lw })).slice(roomBefore)).toEqual([]);

    // Only the supervisor settles it; then the resident is asked to rate the fix.
    const [refused] = await app.say('agent-sun', `整改 ${receipt} 已处理`);
    expect(refused).toContain('只有监督单位可以用');
    const [recorded] = await app.say('supervisor-zhou', `整改 ${receipt} 已上门说明并加快办理`);
    expect(recorded).toContain(receipt);
    await app.settle();
    const toResident = await texts({ to: 'liu-fang' });
    expect(toResident.at(-1)).toContain(`请为您的代办【${receipt} 农村宅基地和建房申请】打个分（对整改的评价）`);

    // Still bad: the supervisor hears it again; the case is closed with the rating of the fix.
    await app.say('liu-fang', '太差了');
    await app.say('liu-fang', '态度还是不好');
    await app.settle();
    expect((await texts({ to: 'supervisor-zhou' })).at(-1)).toBe(
      `【整改后仍不满意】${receipt}（农村宅基地和建房申请，柳湾社区）评分：非常不满意（1星）；原因：态度还是不好`,
    );
    const rounds = sql<{ round: string; level: number }>(
      'SELECT r.round, r.level FROM ratings r JOIN errands e ON e.id = r.errand_id WHERE e.receipt_no = ? ORDER BY r.id',
      receipt,
    );
    expect(rounds).toEqual([
      { round: 'first', level: 2 },
      { round: 'rectification', level: 1 },
    ]);
    expect(sql<{ status: string }>('SELECT c.status FROM rectification_cases c JOIN errands e ON e.id = c.errand_id WHERE e.receipt_no = ?', receipt)).toEqual([
      { status: 'closed' },
    ]);

    // Nothing left to settle: a second 整改 is refused with the reason.
    const [again] = await app.say('supervisor-zhou', `整改 ${receipt} 再处理一次`);
    expect(again).toBe(`${receipt} 没有待整改的差评。`);
  });
});

describe('a return that demands more than the catalogue', () => {
  it('records the extra material as an added obligation and tells the supervisor', async () => {
    const receipt = await fileErrandByChat(app, 'liu-fang', '宅基地建房', homesteadAnswers);
    await run([['agent-sun', `接单 ${receipt}`, lw]]);
    const [reply] = await app.say('agent-sun', `退件 ${receipt} 户口簿、村里开的无犯罪证明`, lw);
    expect(reply).toContain('缺 2 项材料');
    const [notice] = sql<{ items: string }>(
      "SELECT n.items FROM one_time_notices n JOIN errands e ON e.id = n.errand_id WHERE e.receipt_no = ? AND n.kind = 'return'",
      receipt,
    );
    const items = JSON.parse(notice?.items ?? '[]') as { name: string; inCatalogue: boolean }[];
    expect(items.map((i) => [i.name, i.inCatalogue])).toEqual([
      ['居民户口簿', true],
      ['村里开的无犯罪证明', false],
    ]);
    await app.settle();
    const toSupervisor = await texts({ to: 'supervisor-zhou' });
    expect(toSupervisor.at(-1)).toContain(`【备查】${receipt}`);
    expect(toSupervisor.at(-1)).toContain('村里开的无犯罪证明');
    // The resident's one-time notice lists both, all at once.
    const toResident = await texts({ to: 'liu-fang' });
    expect(toResident.at(-1)).toContain('居民户口簿');
    expect(toResident.at(-1)).toContain('村里开的无犯罪证明');
  });
});
