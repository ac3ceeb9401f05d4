import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as schemas from '../../../src/http/routes/mini-program-schemas.ts';
import { startMiniProgram, type MiniProgramHarness } from '../../support/mini-program.ts';

/**
 * A resident's decisions from the mini-program, as in the chat: withdrawing a request, and
 * confirming or declining the entrustment of an errand the village agent filed for them.
 */

let mp: MiniProgramHarness;
let token: string;
let stranger: string;
beforeAll(async () => {
  mp = await startMiniProgram();
  token = await mp.resident('oMpDecisions000000000001', { name: '何小梅', villageCode: 'qs-lw', phone: '13700001234' });
  stranger = await mp.resident('oMpDecisions000000000002', { name: '钱二', villageCode: 'qs-lw', phone: '13700005555' });
});
afterAll(async () => {
  await mp?.close();
});

const roomTexts = async () => (await mp.app.outbox({ room: 'lw-agents@chatroom' })).map((m) => m.text).join('\n');

/** The village agent files an errand for 何小梅 by command; answers its receipt number. */
async function filedByAgent(item: string): Promise<string> {
  const [reply] = await mp.app.say('agent-sun', `代办 何小梅 ${item}`);
  const receipt = /DB\d{9,}/.exec(reply ?? '')?.[0];
  if (!receipt) throw new Error(`not filed: ${reply ?? '(no reply)'}`);
  return receipt;
}

describe('mini-program decisions', () => {
  it('withdraws a request, tells the agents, and refuses a second withdrawal and other people', async () => {
    const receipt = await mp.fileHomestead(token, 'mp-withdraw-1');
    expect((await mp.call('POST', `/api/mp/errands/${receipt}/withdrawal`, stranger)).statusCode).toBe(404);
    const withdrawn = await mp.call('POST', `/api/mp/errands/${receipt}/withdrawal`, token);
    expect(withdrawn.statusCode).toBe(200);
    expect(schemas.withdrawalAnswer.parse(withdrawn.json())).toEqual({
      receiptNo: receipt,
      status: 'withdrawn',
      materials: { at: 'none', list: '', message: '您还没有交材料，不用退什么。' },
    });
    expect((await mp.call('GET', `/api/mp/errands/${receipt}`, token)).json()).toMatchObject({ status: 'withdrawn' });
    await mp.app.settle();
    expect(await roomTexts()).toContain(`【已撤回】${receipt}`);
    expect((await mp.call('POST', `/api/mp/errands/${receipt}/withdrawal`, token)).statusCode).toBe(403);
  });

  it('withdrawing after 收件 says, as the chat does, who gives which materials back; the agent gets the return task', async () => {
    const receipt = await mp.fileHomestead(token, 'mp-withdraw-2');
    for (const command of [`接单 ${receipt}`, `收件 ${receipt}`]) expect((await mp.app.say('agent-sun', command, 'lw-agents@chatroom'))[0]).toContain(receipt);
    const withdrawn = await mp.call('POST', `/api/mp/errands/${receipt}/withdrawal`, token);
    expect(withdrawn.statusCode).toBe(200);
    const answer = schemas.withdrawalAnswer.parse(withdrawn.json());
    expect(answer.materials.at).toBe('agent');
    expect(answer.materials.list).toContain('农村宅基地和建房（规划许可）申请表');
    expect(answer.materials.message).toBe(`代办员孙建国会尽快把材料退还给您：${answer.materials.list}。退还后会通知您。`);
    await mp.app.settle();
    const agent = (await mp.app.outbox({ to: 'agent-sun' })).map((m) => m.text).join('\n');
    expect(agent).toContain(`【已撤回，请退还材料】${receipt}`);
  });

  it('shows the entrustment of an errand the agent filed, and confirms it with the version shown and the separate consent', async () => {
    const receipt = await filedByAgent('社保卡补办');
    const shown = await mp.call('GET', `/api/mp/errands/${receipt}/entrustment`, token);
    expect(shown.statusCode).toBe(200);
    const entrustment = schemas.errandEntrustmentAnswer.parse(shown.json());
    expect(entrustment).toMatchObject({ pending: true, privacyConsent: { required: true } });
    expect(entrustment.text).toContain('何小梅');
    const decide = (body: object, as = token) => mp.call('POST', `/api/mp/errands/${receipt}/entrustment`, as, body);
    expect((await decide({ decision: 'confirm', version: 'old-version', privacyConsent: true })).statusCode).toBe(400);
    expect((await decide({ decision: 'confirm', version: entrustment.version })).statusCode).toBe(403);
    expect((await decide({ decision: 'maybe' })).statusCode).toBe(400);
    expect((await decide({ decision: 'confirm', version: entrustment.version, privacyConsent: true }, stranger)).statusCode).toBe(404);
    const confirmed = await decide({ decision: 'confirm', version: entrustment.version, privacyConsent: true });
    expect(confirmed.statusCode).toBe(200);
    expect(schemas.entrustmentDecisionAnswer.parse(confirmed.json())).toEqual({ receiptNo: receipt, status: 'claimed', entrustment: 'confirmed' });
    await mp.app.settle();
    const agent = await mp.app.outbox({ to: 'agent-sun' });
    expect(agent.map((m) => m.text).join('\n')).toContain(`${receipt} 社会保障卡申领/补换：何小梅已在微信确认委托`);
    expect((await mp.call('GET', `/api/mp/errands/${receipt}/entrustment`, token)).json()).toMatchObject({ pending: false });
    expect((await decide({ decision: 'decline' })).statusCode).toBe(403);
  });

  it('declining the entrustment withdraws the errand', async () => {
    const receipt = await filedByAgent('高龄津贴');
    const declined = await mp.call('POST', `/api/mp/errands/${receipt}/entrustment`, token, { decision: 'decline' });
    expect(declined.statusCode).toBe(200);
    expect(declined.json()).toEqual({ receiptNo: receipt, status: 'withdrawn', entrustment: 'declined' });
  });

  it('records a complaint with its time limit and tells the supervisor, as the chat does', async () => {
    const receipt = await filedByAgent('宅基地建房');
    const r = await mp.call('POST', '/api/mp/complaints', token, { type: 'extra_fee', text: '代办员要我交50元跑腿费', receiptNo: receipt });
    expect(r.statusCode).toBe(201);
    const answer = schemas.complaintAnswer.parse(r.json());
    expect(answer.dueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(answer.hotline).toBe('0838-1234567');
    const row = mp.app.daiban.database.sqlite
      .prepare<[number], { type: string; text: string; errandId: number | null }>('SELECT type, text, errand_id AS errandId FROM complaints WHERE id = ?')
      .get(answer.complaintId);
    expect(row).toMatchObject({ type: 'extra_fee', text: '代办员要我交50元跑腿费' });
    expect(row?.errandId).not.toBeNull();
    await mp.app.settle();
    const supervisor = (await mp.app.outbox({ to: 'supervisor-zhou' })).map((m) => m.text).join('\n');
    expect(supervisor).toContain('【投诉】');
    expect(supervisor).toContain('跑腿费');
    // Someone else's errand, a missing text, an unknown type: refused, nothing recorded.
    const before = mp.app.daiban.database.sqlite.prepare('SELECT count(*) AS n FROM complaints').get();
    expect((await mp.call('POST', '/api/mp/complaints', stranger, { type: 'other', text: '看看别人的事', receiptNo: receipt })).statusCode).toBe(404);
    expect((await mp.call('POST', '/api/mp/complaints', token, { type: 'other', text: '' })).statusCode).toBe(400);
    expect((await mp.call('POST', '/api/mp/complaints', token, { type: 'bribe', text: '不知道' })).statusCode).toBe(400);
    expect(mp.app.daiban.database.sqlite.prepare('SELECT count(*) AS n FROM complaints').get()).toEqual(before);
  });

  it('asks the village agent to get in touch', async () => {
    const r = await mp.call('POST', '/api/mp/agent-contact', token, { message: '我在外地，想问问社保卡的事' });
    expect(r.statusCode).toBe(200);
    expect(r.json<{ told: number }>().told).toBeGreaterThan(0);
    await mp.app.settle();
    const agent = (await mp.app.outbox({ to: 'agent-sun' })).map((m) => m.text).join('\n');
    expect(agent).toContain('我在外地，想问问社保卡的事');
  });
});
