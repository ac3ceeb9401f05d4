import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { robotBindingProblems } from '../../../src/channels/wecom/wecom-channels.ts';
import { insertOutbox, outboxById } from '../../../src/db/outbox-repository.ts';
import { fileErrandByChat, homesteadAnswers } from '../../support/intake.ts';
import { auth } from '../../support/test-app.ts';
import { startWeComDriver, userIdOf, type WeComDriver } from '../../support/wecom-driver.ts';
import { until } from '../../support/until.ts';

/** Group robots posting in agents' and centre rooms, against the fake WeCom API (which enforces 20 a minute per robot). */

const KEY_SQ = '11111111-aaaa-4bc4-97a0-000000000001';
const KEY_CENTRE = '11111111-aaaa-4bc4-97a0-000000000002';
const KEY_SHARED = '11111111-aaaa-4bc4-97a0-000000000003';
const KEY_OTHER = '11111111-aaaa-4bc4-97a0-000000000004';
const KEY_REMOVED = '11111111-aaaa-4bc4-97a0-0000000000ff';
const ROBOTS = [
  `sq-agents=${KEY_SQ}`,
  `qs-centre=${KEY_CENTRE}`,
  `shared-a=${KEY_SHARED}`,
  `shared-b=${KEY_SHARED}`,
  `shared-c=${KEY_SHARED}`,
  `retry-room=${KEY_OTHER}`,
  `split-room=${KEY_OTHER}`,
  `removed-room=${KEY_REMOVED}`,
].join(',');

let driver: WeComDriver;
beforeAll(async () => {
  driver = await startWeComDriver({ robotKeys: [KEY_SQ, KEY_CENTRE, KEY_SHARED, KEY_OTHER], env: { WECOM_ROBOTS: ROBOTS } });
  // The roster puts the agents' and the centre's WeCom groups on the robots, and gives 李明 his WeCom UserID.
  const roster = JSON.parse(readFileSync('data/demo-roster.json', 'utf8')) as { people: { id: string; identities: object[] }[]; rooms: object[] };
  roster.people.find((p) => p.id === 'li')!.identities.push({ channel: 'wecom', id: userIdOf('agent-li') });
  roster.rooms.push(
    { channel: 'wecom-robot', id: 'sq-agents', kind: 'village_agents', village: 'qs-sq' },
    { channel: 'wecom-robot', id: 'qs-centre', kind: 'centre', township: 'qs' },
  );
  const r = await driver.app.daiban.server.inject({ method: 'PUT', url: '/api/admin/roster', headers: auth, payload: roster });
  expect(r.statusCode).toBe(200);
});
afterAll(async () => {
  await driver?.close();
});

const posts = (key: string) => driver.fake.robotPosts().filter((p) => p.key === key);
function notify(room: string, text: string): number {
  const db = driver.app.daiban.database;
  const [id] = db.write(() => insertOutbox(db, [{ channel: 'wecom-robot', recipient: null, room, text, kind: 'notification' }], driver.app.clock.now));
  return id!;
}
const status = (id: number) => outboxById(driver.app.daiban.database, id);

describe('WeCom group robots', () => {
  it('posts a new errand in the village agents’ WeCom group, @mentioning the village’s agents, and the claim @mentioning the agent who took it', async () => {
    const receipt = await fileErrandByChat(driver.app, 'zhang-xiuhua', '宅基地建房', homesteadAnswers);
    await until(() => posts(KEY_SQ).length >= 1, 'the new-errand post');
    const [created] = posts(KEY_SQ);
    expect(created!.content).toContain(`【新代办】${receipt}`);
    expect(created!.mentioned).toEqual([userIdOf('agent-li')]);

    await driver.say('agent-li', `接单 ${receipt}`);
    await until(() => posts(KEY_SQ).length >= 2, 'the claim post');
    const claimed = posts(KEY_SQ)[1]!;
    expect(claimed.content).toContain(receipt);
    expect(claimed.mentioned).toEqual([userIdOf('agent-li')]);
    // The centre's group mentions nobody, and a message without an errand (a digest) neither.
    const digest = notify('sq-agents', '【早报】今天没有待办。');
    await until(() => status(digest)?.status === 'sent', 'the digest');
    expect(posts(KEY_SQ).at(-1)).toMatchObject({ content: '【早报】今天没有待办。', mentioned: [] });
  });

  it('parks a message for a removed robot (93000) as a dead letter naming the code, without retrying', async () => {
    const id = notify('removed-room', '【新代办】测试');
    await until(() => status(id)?.status === 'dead', 'the dead letter');
    expect(status(id)!.lastError).toMatch(/errcode 93000/);
    expect(status(id)!.lastError).not.toContain(KEY_REMOVED);
    await new Promise((r) => setTimeout(r, 300));
    expect(driver.fake.requests.filter((r) => r.endpoint === 'webhook_send' && r.query.key === KEY_REMOVED)).toHaveLength(1);
  });

  it('parks a message for a room no robot is bound to, naming WECOM_ROBOTS', async () => {
    const id = notify('unbound-room', '【新代办】测试');
    await until(() => status(id)?.status === 'dead', 'the dead letter');
    expect(status(id)!.lastError).toMatch(/unbound-room.*WECOM_ROBOTS/);
  });

  it('retries after WeCom’s frequency refusal (45009) and a busy answer (−1), and then delivers once', async () => {
    driver.fake.failNext(45009, 1, 'webhook_send');
    driver.fake.failNext(-1, 1, 'webhook_send');
    const id = notify('retry-room', '【提醒】请处理。');
    await until(() => status(id)?.status === 'sent', 'the retried message', 25_000);
    const tries = driver.fake.requests.filter((r) => r.endpoint === 'webhook_send' && (r.body.text as { content: string }).content === '【提醒】请处理。');
    expect(tries.map((r) => r.answer.errcode)).toEqual([45009, -1, 0]);
  });

  it('splits text over 2,048 bytes at line boundaries', async () => {
    const lines = Array.from({ length: 60 }, (_, i) => `${i + 1}. 农村宅基地和建房申请材料第${i + 1}项`);
    const id = notify('split-room', lines.join('\n'));
    await until(() => status(id)?.status === 'sent', 'the long message');
    const parts = posts(KEY_OTHER).filter((p) => p.content.includes('农村宅基地和建房申请材料'));
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(Buffer.byteLength(part.content, 'utf8')).toBeLessThanOrEqual(2048);
    expect(parts.map((p) => p.content).join('\n')).toBe(lines.join('\n'));
  });

  it('sends at most 20 messages a minute through one robot, across the rooms that share it; the rest wait', async () => {
    const ids = Array.from({ length: 25 }, (_, i) => notify(['shared-a', 'shared-b', 'shared-c'][i % 3]!, `【通知】第${i + 1}条`));
    await until(() => posts(KEY_SHARED).length >= 20, '20 posts through the shared robot');
    // Give a 21st post every chance to show up.
    await new Promise((r) => setTimeout(r, 1500));
    expect(posts(KEY_SHARED)).toHaveLength(20);
    expect(driver.fake.requests.filter((r) => r.query.key === KEY_SHARED && r.answer.errcode !== 0)).toEqual([]);
    const rows = ids.map(status);
    expect(rows.filter((r) => r?.status === 'sent')).toHaveLength(20);
    // Held back, not failed: still pending, no attempt used up.
    expect(rows.filter((r) => r?.status === 'pending').map((r) => r?.attempts)).toEqual([0, 0, 0, 0, 0]);
    // Every room of the robot got its messages in order.
    for (const room of ['shared-a', 'shared-b', 'shared-c']) {
      const sent = rows.filter((r) => r?.room === room && r.status === 'sent').map((r) => r!.id);
      expect(sent).toEqual([...sent].sort((a, b) => a - b));
      expect(sent).toEqual(
        rows
          .filter((r) => r?.room === room)
          .map((r) => r!.id)
          .slice(0, sent.length),
      );
    }
  });
});

describe('robot bindings and the roster', () => {
  it('names roster robot rooms without a robot and bindings without a roster room', () => {
    const directory = driver.app.daiban.directories.current();
    expect(robotBindingProblems(directory, [{ room: 'sq-agents' }, { room: 'qs-centre' }])).toEqual([]);
    expect(robotBindingProblems(directory, [{ room: 'sq-agents' }, { room: 'ghost-room' }])).toEqual([
      'room qs-centre has no robot in WECOM_ROBOTS',
      'WECOM_ROBOTS binds ghost-room, which is not a wecom-robot room of the roster (yet)',
    ]);
  });
});
