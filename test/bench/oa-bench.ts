import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { computeMsgSignature, createMessageCrypto } from '../../src/channels/wechat/message-crypto.ts';
import { computeSignature } from '../../src/channels/wechat/signature.ts';
import type { ServerProcess } from '../support/server-process.ts';
import { drive, report } from './load-driver.ts';
import { processCpuMicros, replayCheckCost } from './replay-check-bench.ts';

/**
 * The Official Account path of `npm run bench`: signed text pushes → passive replies, a whole
 * intake conversation per follower (registered through the roster with an OpenID), in plain and in
 * safe (AES) mode, next to a bare fastify route that parses the same XML and answers XML.
 */

export const OA_BENCH_ENV = {
  WECHAT_OA_TOKEN: 'benchOaToken1',
  WECHAT_OA_APPID: 'wx49f0ab532d5d035a',
  // wechat.md's public test key.
  WECHAT_OA_ENCODING_AES_KEY: 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR',
};

const openId = (mode: string, vu: number) => `oBench${mode}${String(vu).padStart(6, '0')}`;

/** Roster people for the followers of both runs. */
export function oaBenchRoster(concurrency: number): object[] {
  return ['p', 's'].flatMap((mode) =>
    Array.from({ length: concurrency }, (_, i) => ({
      id: `oa-${mode}-${i}`,
      name: `网民${mode}${i}`,
      phone: `1370${mode === 'p' ? 1 : 2}${String(100000 + i)}`,
      village: 'qs-lw',
      identities: [{ channel: 'official-account', id: openId(mode, i) }],
    })),
  );
}

export async function oaBench(o: {
  server: ServerProcess;
  bareUrl: string;
  dir: string;
  redisUrl: string;
  concurrency: number;
  warmup: number;
  seconds: number;
  intake: readonly string[];
}): Promise<void> {
  const { WECHAT_OA_TOKEN: token, WECHAT_OA_APPID: appId } = OA_BENCH_ENV;
  const crypto = createMessageCrypto({ appId, encodingAesKey: OA_BENCH_ENV.WECHAT_OA_ENCODING_AES_KEY });
  let msgId = 27_000_000_000_000_000n;
  // Unique per push, as WeChat's are: a signed query serves one body only.
  let nonces = 0;
  const pushXml = (from: string, text: string) =>
    `<xml><ToUserName><![CDATA[gh_bench]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime>` +
    `<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${text}]]></Content><MsgId>${++msgId}</MsgId></xml>`;
  const timestamp = () => String(Math.floor(Date.now() / 1000));
  const plainPath = () => {
    const ts = timestamp();
    const nonce = `${++nonces}${Math.floor(Math.random() * 1e6)}`;
    return `/wechat/official-account?signature=${computeSignature(token, ts, nonce)}&timestamp=${ts}&nonce=${nonce}`;
  };
  const base = { headers: { 'content-type': 'text/xml' }, concurrency: o.concurrency, warmupSeconds: o.warmup, seconds: o.seconds };
  const text = (step: number) => o.intake[step % o.intake.length] ?? '';
  const last = (step: number) => step % o.intake.length === o.intake.length - 1;

  const serverCpu = { start: 0, end: 0 };
  const bare = await drive({
    ...base,
    url: o.bareUrl,
    path: '/xml',
    body: (vu, step) => pushXml(openId('b', vu), text(step)),
    check: (status, body) => status === 200 && body.includes('<Content>'),
  });
  const bareRate = report('baseline: bare fastify XML route', bare);
  const plain = await drive({
    ...base,
    url: o.server.url,
    path: '',
    body: (vu, step) => ({ path: plainPath(), body: pushXml(openId('p', vu), text(step)) }),
    check: (status, body, _vu, step) => status === 200 && body.includes('<Content>') && (!last(step) || body.includes('回执号')),
    onMeasure: (phase) => {
      if (o.server.child.pid) serverCpu[phase] = processCpuMicros(o.server.child.pid);
    },
  });
  const plainRate = report('7. Official Account, plain mode', plain);
  console.log(`   ${((plainRate / bareRate) * 100).toFixed(1)} % of the bare XML route`);
  // The replay check's share of a plain-mode push, in CPU time (steadier here than throughput).
  const perPush = (serverCpu.end - serverCpu.start) / plain.requests;
  const paired = await replayCheckCost({
    dir: o.dir,
    redisUrl: o.redisUrl,
    bursts: 1000,
    burst: 10,
    senders: Array.from({ length: o.concurrency }, (_, i) => openId('p', i)),
    text: '我的代办',
  });
  const checkMicros = paired.withKey - paired.withoutKey;
  console.log(
    `   server CPU ${perPush.toFixed(0)} µs per push; the replay check ${checkMicros.toFixed(1)} µs (in-process, paired: ${paired.withKey.toFixed(0)} vs ${paired.withoutKey.toFixed(0)} µs per message) = ${((checkMicros / perPush) * 100).toFixed(1)} % of a push (goal < 5 %)`,
  );
  const safe = await drive({
    ...base,
    url: o.server.url,
    path: '',
    body: (vu, step) => {
      const encrypt = crypto.encrypt(pushXml(openId('s', vu), text(step)), randomBytes(16));
      const ts = timestamp();
      const nonce = `${++nonces}${Math.floor(Math.random() * 1e6)}`;
      const query = `encrypt_type=aes&msg_signature=${computeMsgSignature(token, ts, nonce, encrypt)}&signature=${computeSignature(token, ts, nonce)}&timestamp=${ts}&nonce=${nonce}`;
      return {
        path: `/wechat/official-account?${query}`,
        body: `<xml><ToUserName><![CDATA[gh_bench]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`,
      };
    },
    // The reply is encrypted: the last step of each conversation is decrypted to see its receipt number.
    check: (status, body, _vu, step) => {
      if (status !== 200 || !body.includes('<Encrypt>')) return false;
      if (!last(step)) return true;
      const encrypted = /<Encrypt><!\[CDATA\[([^\]]+)\]\]><\/Encrypt>/.exec(body)?.[1] ?? '';
      const reply = crypto.decrypt(encrypted);
      return reply.ok && reply.message.includes('回执号');
    },
    onMeasure: (phase) => {
      if (o.server.child.pid) serverCpu[phase] = processCpuMicros(o.server.child.pid);
    },
  });
  const safeRate = report('8. Official Account, safe (AES) mode', safe);
  console.log(
    `   ${((safeRate / plainRate) * 100).toFixed(1)} % of plain mode; server CPU ${((serverCpu.end - serverCpu.start) / safe.requests).toFixed(0)} µs per push`,
  );
  console.log('   goals: plain ≥ 2,000 msg/s, p99 ≤ 50 ms, ≥ 5 % of the bare route; safe within 20 % of plain');
}

/** The roster file with the benchmark's extra people. */
export function rosterWith(people: object[]): { people: object[] } {
  const roster = JSON.parse(readFileSync('data/demo-roster.json', 'utf8')) as { people: object[] };
  roster.people.push(...people);
  return roster;
}
