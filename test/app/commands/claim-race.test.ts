import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileErrandByChat, homesteadAnswers } from '../../support/intake.ts';
import { openUseCaseApp, type DemoRoster, type UseCaseApp } from '../../support/use-case-app.ts';

/** Twenty agents of one village, one errand, all claiming at the same moment. */

const AGENTS = 20;
let app: UseCaseApp;
let roster: DemoRoster;

beforeAll(() => {
  app = openUseCaseApp({ roster: false });
  roster = app.demoRoster();
  for (let i = 0; i < AGENTS; i++) {
    roster.people.push({
      id: `racer-${i}`,
      name: `张${i}`,
      phone: `1370000${String(1000 + i)}`,
      village: 'qs-lw',
      roles: [{ role: 'agent', village: 'qs-lw' }],
      identities: [{ channel: 'simulator', id: `racer-${i}` }],
    });
  }
  app.loadRoster(roster);
});
afterAll(() => {
  app.close();
});

const command = (from: string, text: string, room: string | null = 'lw-agents@chatroom') =>
  app.send({ from, room, text }).then((r) => r.replies.map((x) => x.text).join('\n'));

describe('claiming', () => {
  it('gives one errand to exactly one of twenty agents claiming at once; the others are told who has it', async () => {
    const receipt = await fileErrandByChat(app, 'liu-fang', '宅基地建房', homesteadAnswers);
    const replies = await Promise.all(Array.from({ length: AGENTS }, (_, i) => command(`racer-${i}`, `接单 ${receipt}`)));
    const winners = replies.filter((r) => r.includes('接单。'));
    expect(winners).toHaveLength(1);
    const winner = /由(张\d+)接单/.exec(winners[0] ?? '')?.[1];
    const losers = replies.filter((r) => !r.includes('接单。'));
    expect(losers).toHaveLength(AGENTS - 1);
    for (const text of losers) expect(text).toBe(`${receipt} 已经由${winner ?? ''}接单了。`);
    const events = app.database.sqlite.prepare("SELECT count(*) AS n FROM errand_events WHERE type = 'claim'").get() as { n: number };
    expect(events.n).toBe(1);

    // The holder hands it to another agent of the village, who then holds it.
    const winnerIndex = Number(/\d+/.exec(winner ?? '')?.[0]);
    const other = (winnerIndex + 1) % AGENTS;
    expect(await command(`racer-${other}`, `收件 ${receipt}`)).toContain(`由代办员张${winnerIndex}负责`);
    expect(await command(`racer-${winnerIndex}`, `转交 ${receipt} @张${other}`)).toBe(`${receipt} 已转交给张${other}。`);
    expect(await command(`racer-${other}`, `收件 ${receipt}`)).toContain('已收件');
  });

  it('refuses an agent who has left the village, after the roster changed', async () => {
    const receipt = await fileErrandByChat(app, 'liu-fang', '宅基地建房', homesteadAnswers);
    const moved = structuredClone(roster);
    const racer = moved.people.find((p) => p.id === 'racer-3') as { roles: unknown[]; village: string };
    racer.roles = [{ role: 'agent', village: 'qs-bh' }];
    racer.village = 'qs-bh';
    expect(() => app.loadRoster(moved)).not.toThrow();
    // In the old village's group the command is declined; privately the bot says whose errand it is.
    expect(await command('racer-3', `接单 ${receipt}`)).toBe('这是柳湾社区的群，这条命令在这里不能用。请在您自己的群里发，或私聊我发。');
    expect(await command('racer-3', `接单 ${receipt}`, null)).toBe(`${receipt} 不是您村的代办，请由柳湾社区的代办员办理。`);
    const gone = structuredClone(moved);
    (gone.people.find((p) => p.id === 'racer-3') as { roles: unknown[] }).roles = [];
    app.loadRoster(gone);
    expect(await command('racer-3', `接单 ${receipt}`)).toBe('您还不在名册里，不能用代办命令。请联系县里管理员登记。');
  });

  it('answers the same message id once, and leaves nothing half-done when a command is refused', async () => {
    const receipt = await fileErrandByChat(app, 'liu-fang', '宅基地建房', homesteadAnswers);
    const send = (id: string) => app.send({ from: 'racer-5', room: 'lw-agents@chatroom', text: `接单 ${receipt}`, id }).then((r) => r.replies);
    const [a, b] = await Promise.all([send('m-42'), send('m-42')]);
    expect(a).toEqual(b);
    const before = app.database.sqlite.prepare('SELECT version, status FROM errands WHERE receipt_no = ?').get(receipt);
    expect(await command('racer-5', `受理 ${receipt}`)).toContain('只有便民服务中心工作人员可以用');
    expect(await command('racer-5', `递交 ${receipt}`)).toContain('不能递交');
    expect(app.database.sqlite.prepare('SELECT version, status FROM errands WHERE receipt_no = ?').get(receipt)).toEqual(before);
  });
});
