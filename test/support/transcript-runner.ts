import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { parseDocument, Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { openUseCaseApp, type UseCaseApp } from './use-case-app.ts';

/**
 * Golden transcripts: whole conversations kept as YAML fixtures, replayed through the simulator
 * channel against a real SQLite file (openUseCaseApp: the inbound handler without HTTP or Redis). Every reply must match the fixture word for word. After a
 * deliberate change of texts or flows, regenerate them with UPDATE_TRANSCRIPTS=1 and read the diff.
 *
 * A turn is one of:
 *   { from, say, reply }            a message and the exact reply
 *   { from, room, say, reply }      the same in a group chat ('' reply: the bot stays quiet)
 *   { advance: <minutes> }          the clock moves on
 *   { outbox: { to | room }, last } the newest message delivered there since the last such check
 */

interface Turn {
  from?: string;
  room?: string;
  say?: string;
  reply?: string;
  advance?: number;
  outbox?: { to?: string; room?: string };
  last?: string;
}

const update = process.env.UPDATE_TRANSCRIPTS === '1';

export function transcriptTests(dir: string): void {
  let app: UseCaseApp | null = null;
  afterEach(() => {
    app?.close();
    app = null;
  });

  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    const path = join(dir, file);
    const doc = parseDocument(readFileSync(path, 'utf8'));
    it(`${file}: ${String(doc.get('description'))}`, async () => {
      app = openUseCaseApp();
      const turns = doc.get('turns') as YAMLSeq<YAMLMap>;
      try {
        await replay(app, file, turns);
      } finally {
        if (update) writeFileSync(path, doc.toString({ lineWidth: 0 }));
      }
    });
  }
}

function record(node: YAMLMap, key: string, text: string) {
  const scalar = new Scalar(text);
  if (text.includes('\n')) scalar.type = Scalar.BLOCK_LITERAL;
  node.flow = false;
  node.set(key, scalar);
}

async function replay(app: UseCaseApp, file: string, turns: YAMLSeq<YAMLMap>) {
  const seen = new Map<string, number>();
  for (const [index, node] of turns.items.entries()) {
    const turn = node.toJSON() as Turn;
    if (turn.advance !== undefined) {
      app.clock.now += turn.advance * 60_000;
      continue;
    }
    if (turn.outbox) {
      const target = JSON.stringify(turn.outbox);
      const after = seen.get(target) ?? 0;
      await app.settle();
      const messages = await app.waitForOutbox({ ...turn.outbox, after }, 1);
      const last = messages[messages.length - 1];
      seen.set(target, last?.id ?? after);
      const actual = last?.text ?? '';
      if (update) record(node, 'last', actual);
      else expect(actual, `${file} turn ${index + 1}: last message to ${target}`).toBe(turn.last);
      continue;
    }
    const replies = await app.say(String(turn.from), String(turn.say), turn.room ?? null);
    const actual = replies.join('\n=====\n');
    if (update) record(node, 'reply', actual);
    else expect(actual, `${file} turn ${index + 1}: ${turn.from} says ${JSON.stringify(turn.say)}`).toBe(turn.reply ?? '');
  }
}
