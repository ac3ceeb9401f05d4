import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import type { ConversationState, FlowData } from '../../src/conversation/conversation-state.ts';
import type { Understood } from '../../src/conversation/engine.ts';
import { errandView, realContent, realEngine } from '../support/real-engine.ts';
import { fakeContext } from '../support/fake-flow-context.ts';

/**
 * The off-path turns (off-path-turns.yaml): each utterance is put to the real engine, with the real
 * flows and templates, at the step it names; what the engine understood is compared with what the
 * resident meant. The accuracy is printed, with every miss, and must stay above the floor (quoted in
 * the README next to the other matcher figures).
 */

const FLOOR = 0.94;

const fileSchema = z.object({
  groups: z.array(
    z.object({
      at: z.string().regex(/^[a-z_]+\.[a-z_]+$/),
      data: z.record(z.string(), z.unknown()).default({}),
      errands: z.literal('open').optional(),
      heldOut: z.boolean().default(false),
      cases: z.array(z.tuple([z.coerce.string(), z.string()])).min(1),
    }),
  ),
});

const content = realContent;
const engine = realEngine;
const groups = fileSchema.parse(parse(readFileSync(join(import.meta.dirname, 'off-path-turns.yaml'), 'utf8'))).groups;

const openErrand = errandView();

const NOT_UNDERSTOOD = new Set(['unclear', 'none', 'invalid', 'missing']);

/** Whether what the engine understood is what the case expects (see the head of off-path-turns.yaml). */
function meets(u: Understood, expected: string, into: string | undefined): boolean {
  const [kind, value] = expected.includes(':') ? (expected.split(':') as [string, string]) : ['', expected];
  if (kind === 'intent') return u.kind === 'intent' && u.id === value;
  if (kind === 'option') return (u.kind === 'option' && u.id === value) || (u.kind === 'text' && u.outcome === value);
  if (kind === 'outcome') return u.kind === 'text' && u.outcome === value;
  if (expected === 'retry') return u.kind === 'none' || (u.kind === 'text' && NOT_UNDERSTOOD.has(u.outcome));
  const [key, slot] = expected.split('=') as [string, string];
  if (u.kind === 'text') return JSON.stringify(u.set[key]) === JSON.stringify(slot) || JSON.stringify(u.set[key]) === slot;
  return u.kind === 'list' && into === key && JSON.stringify(u.value) === slot;
}

const show = (u: Understood) => (u.kind === 'text' ? `text ${u.outcome} ${JSON.stringify(u.set)}` : JSON.stringify(u));

describe('off-path turns (what villagers say at a step, and what it means)', () => {
  it(`understands at least ${FLOOR * 100}% of them`, () => {
    const misses: string[] = [];
    let total = 0;
    const heldOut = { total: 0, missed: 0 };
    for (const group of groups) {
      const [flowId = '', stateId = ''] = group.at.split('.');
      const flow = content.flows.get(flowId);
      expect(flow?.states[stateId]?.reply, `${group.at} is a step that waits for an answer`).toBeDefined();
      const ctx = fakeContext({ myErrands: group.errands ? [openErrand] : [] });
      const state: ConversationState = {
        flowId,
        flowVersion: flow?.version ?? 0,
        stateId,
        data: group.data as FlowData,
        history: [],
        retries: 0,
        interrupted: null,
        lastActiveAt: ctx.now,
      };
      for (const [text, expected] of group.cases) {
        total++;
        if (group.heldOut) heldOut.total++;
        const { understood } = engine.step(state, { kind: 'text', text }, { ...ctx, now: ctx.now + 60_000 });
        if (!meets(understood, expected, flow?.states[stateId]?.reply?.into)) {
          misses.push(`${group.heldOut ? '(held out) ' : ''}${group.at} "${text}": expected ${expected}, got ${show(understood)}`);
          if (group.heldOut) heldOut.missed++;
        }
      }
    }
    const accuracy = (total - misses.length) / total;
    const held = `held out ${heldOut.total - heldOut.missed}/${heldOut.total}`;
    console.log(
      `off-path turns: ${total - misses.length}/${total} understood (${(accuracy * 100).toFixed(1)}%; ${held})${misses.length ? `\n  ${misses.join('\n  ')}` : ''}`,
    );
    expect(total).toBeGreaterThanOrEqual(150);
    expect(accuracy, misses.join('\n')).toBeGreaterThanOrEqual(FLOOR);
  });
});
