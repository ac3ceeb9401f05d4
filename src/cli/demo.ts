import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import pino from 'pino';
import { loadRoster } from '../app/load-roster.ts';
import { configOrExit, startDaiban } from '../main.ts';
import { freePort } from '../redis/local-redis.ts';
import { runConsole } from './chat-console.ts';
import { routeStrayOutput } from './stray-output.ts';

/**
 * `npm run demo`: a fresh demo county (one township centre, three villages, agents, a collector,
 * centre staff, a supervisor, residents and their rooms), the server, and the chat console on top.
 * With stdin from a file it plays that script and exits (non-zero when an /expect fails).
 */

const DEMO_DB = './data/demo.db';
const env = { ...process.env };
let fresh = false;
env.SIMULATOR_ENABLED ??= 'true';
env.ADMIN_TOKEN ??= `demo-${randomBytes(12).toString('hex')}`;
env.LOG_LEVEL ??= 'warn';
if (!env.SQLITE_PATH) {
  env.SQLITE_PATH = DEMO_DB;
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${DEMO_DB}${suffix}`, { force: true });
  fresh = true;
}
env.HTTP_PORT ??= String(await freePort(3000));
env.BULLMQ_PREFIX ??= `demo${process.pid}`;

const config = configOrExit(env);
// The server's log goes to a file, and so does whatever a library prints by itself: lines printed into
// the chat console would break up the conversation.
const DEMO_LOG = env.DEMO_LOG ?? './data/demo.log';
const logger = pino({ level: config.logLevel }, pino.destination({ dest: DEMO_LOG, mkdir: true, sync: true }));
routeStrayOutput(logger);
const running = await startDaiban(config, logger, { privateRedis: true });
const counts = loadRoster(running.process.core.database, JSON.parse(readFileSync('data/demo-roster.json', 'utf8')), Date.now());
const interactive = Boolean(process.stdin.isTTY);

process.stdout.write(`
代办 Daiban demo — ${running.url}  (admin token: ${config.adminToken})
Demo county 示范县: ${counts.villages} villages, ${counts.people} people, ${counts.rooms} rooms (data/demo-roster.json).
  Residents:  zhang-xiuhua (石桥村, elderly) · wang-xiaojun (石桥村, migrant worker) · liu-fang (柳湾社区)
              or any new name: the bot registers newcomers.
  Agents:     agent-li (石桥村) · agent-zhao (白鹤村) · agent-sun (柳湾社区)   Collector: collector-wu
  Centre:     centre-chen (青山镇便民服务中心)   Supervisor: supervisor-zhou
  Rooms:      sq-agents@chatroom · bh-agents@chatroom · lw-agents@chatroom · qs-centre@chatroom
Try: /as zhang-xiuhua, then 医保卡丢了; later /as agent-li to see the notices. Other tools can use
the same server: ADMIN_TOKEN=${config.adminToken} DAIBAN_URL=${running.url} npm run chat
The server's log: ${DEMO_LOG}
${
  fresh
    ? `Every npm run demo starts a fresh demo database (${DEMO_DB}; the last run's records are gone). Set SQLITE_PATH to keep one.
每次运行都会新建演示数据库（${DEMO_DB}，上次的记录会清掉）；要保留数据请设置 SQLITE_PATH。
`
    : ''
}`);

let status = 1;
try {
  status = await runConsole({
    baseUrl: running.url,
    token: config.adminToken,
    identity: 'demo-villager',
    input: process.stdin,
    output: process.stdout,
    interactive,
  });
} finally {
  await running.close();
}
process.exit(status);
