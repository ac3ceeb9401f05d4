import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentOutreach } from '../../src/app/agent-outreach.ts';
import type { Directory } from '../../src/app/directory.ts';
import { openUseCaseApp, type UseCaseApp } from '../support/use-case-app.ts';

/** The village agent's task for a resident WeChat cannot reach: privately with the phone, or in the agents room without it. */

let app: UseCaseApp;
beforeAll(() => {
  app = openUseCaseApp();
  // zhang (石桥村) is reached on the Official Account as oZhang.
  app.database.sqlite
    .prepare("INSERT INTO channel_identities (channel, external_id, person_id, created_at, last_seen_at) VALUES ('official-account', 'oZhang', 'zhang', 0, 0)")
    .run();
});
afterAll(() => app?.close());

const outreach = (directory: () => Directory = () => app.directories.current()) =>
  createAgentOutreach({ database: app.database, directory, templates: app.templates });
const request = { channel: 'official-account', externalId: 'oZhang', text: '【代办】您的材料已经办好。', errandId: null, dedupeKey: 'daiban-outbox-77' };

describe('agent outreach', () => {
  it('asks each agent of the village privately, with the masked name and the full phone', () => {
    const result = outreach()(request);
    expect(result).toEqual({
      kind: 'tasks',
      handOver: [
        {
          channel: 'simulator',
          recipient: 'agent-li',
          room: null,
          errandId: null,
          dedupeKey: 'daiban-outbox-77-agent-task-person-li',
          text: '【请电话或上门告知】村民张*花（石桥村）收不到微信通知。电话：13900000011。\n请打电话或上门告诉他/她：\n【代办】您的材料已经办好。',
        },
      ],
    });
  });

  it('falls back to the agents room when no agent is reachable on another channel, never showing the full phone there', () => {
    const real = app.directories.current();
    // The village's agents reachable only on the channel that failed.
    const onlyThere: Directory = {
      ...real,
      staff: (role, scope) => real.staff(role, scope).map((s) => ({ ...s, identities: [{ channel: 'official-account', externalId: `o-${s.id}` }] })),
    };
    const result = outreach(() => onlyThere)(request);
    expect(result.kind).toBe('tasks');
    const [task] = result.kind === 'tasks' ? result.handOver : [];
    expect(task).toMatchObject({
      channel: 'simulator',
      room: 'sq-agents@chatroom',
      recipient: null,
      dedupeKey: 'daiban-outbox-77-agent-task-room-simulator-sq-agents@chatroom',
    });
    expect(task!.text).toContain('张*花');
    expect(task!.text).toContain('电话尾号0011');
    expect(task!.text).not.toContain('13900000011');
  });

  it('says why there is no task for a follower nobody knows', () => {
    expect(outreach()({ ...request, externalId: 'oStranger' })).toEqual({
      kind: 'none',
      reason: 'the follower is not registered, so no village agent knows them',
    });
  });
});
