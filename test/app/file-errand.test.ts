import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileErrandByChat, homesteadAnswers } from '../support/intake.ts';
import { openUseCaseApp, type UseCaseApp } from '../support/use-case-app.ts';

/** A village whose agent is not (yet) in the roster: the request still reaches a person. */
let app: UseCaseApp;
beforeAll(() => {
  app = openUseCaseApp({ roster: false });
  const roster = app.demoRoster();
  roster.people = roster.people.filter((p) => p.id !== 'sun');
  roster.rooms = roster.rooms.filter((r) => r.id !== 'lw-agents@chatroom');
  expect(() => app.loadRoster(roster)).not.toThrow();
});
afterAll(() => {
  app.close();
});

describe('filing an errand in a village without an agent', () => {
  it('tells the township centre instead, so no request waits unseen', async () => {
    const receipt = await fileErrandByChat(app, 'liu-fang', '宅基地建房', homesteadAnswers);
    const room = await app.waitForOutbox({ room: 'qs-centre@chatroom' }, 1);
    expect(room[0]?.text).toContain(receipt);
    expect(room[0]?.text).toContain('刘*');
    const staff = await app.waitForOutbox({ to: 'centre-chen' }, 1);
    expect(staff[0]?.text).toContain(receipt);
  });
});
