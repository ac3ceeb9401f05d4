import { describe, expect, it } from 'vitest';
import { actionRegistry } from '../../src/conversation/actions/action-registry.ts';
import { flowSchema, type Flow } from '../../src/conversation/flow-schema.ts';
import { validateFlows } from '../../src/conversation/flow-validation.ts';
import { loadContent } from '../../src/content/load-content.ts';
import { contentDirs } from '../../src/compose.ts';

const content = loadContent(contentDirs);
const validate = (flows: Map<string, Flow>) => validateFlows({ flows, intents: content.intents, actions: actionRegistry, templates: content.templates });

function withFlow(raw: unknown): Map<string, Flow> {
  const flow = flowSchema.parse(raw);
  return new Map([...content.flows, [flow.id, flow]]);
}

describe('flow validation', () => {
  it('accepts the shipped flows, intents and templates', () => {
    expect(validate(content.flows)).toEqual([]);
    expect([...content.flows.keys()].sort()).toEqual([
      'complaint',
      'confirm_entrustment',
      'deliver_home',
      'fetch_myself',
      'main',
      'my_errands',
      'query',
      'rating',
      'register',
      'request',
      'talk_to_agent',
      'who_is_agent',
      'withdraw',
    ]);
  });

  it('finds a target that does not exist and a state nobody reaches', () => {
    const problems = validate(
      withFlow({
        id: 'broken',
        version: 1,
        start: 'a',
        states: {
          a: { say: ['request.ask_item'], reply: { text: 'match_item' }, on: { sure: 'nowhere', unsure: 'a', none: 'retry' } },
          lonely: { say: ['request.ask_item'], reply: { text: 'match_item' }, on: { sure: 'a', unsure: 'a', none: 'retry' } },
        },
      }),
    );
    expect(problems).toEqual(expect.arrayContaining(['broken.a: target nowhere does not exist', 'broken.lonely: unreachable from a']));
  });

  it('finds an outcome without an edge, an edge that is never taken and an unknown action', () => {
    const problems = validate(
      withFlow({
        id: 'broken',
        version: 1,
        start: 'a',
        states: {
          a: { say: ['request.ask_item'], reply: { text: 'match_item' }, on: { sure: 'end', typo: 'end' } },
          b: { decide: 'no_such_action', on: {} },
        },
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining(['broken.a: outcome "unsure" has no edge', 'broken.a: edge "typo" can never be taken', 'broken.b: unknown action no_such_action']),
    );
  });

  it('finds a template variable that is not set on every path, and a missing template', () => {
    const problems = validate(
      withFlow({
        id: 'broken',
        version: 1,
        start: 'a',
        states: {
          // request.guide reads `item`, which needs `itemId`: set on "sure" but not on "unsure".
          a: { say: ['request.ask_item'], reply: { text: 'match_item' }, on: { sure: 'b', unsure: 'b', none: 'retry' } },
          b: { say: ['request.guide', 'request.no_such_text'], reply: { options: [{ id: 'ok', label: 'opt.agree' }] }, on: { ok: 'end' } },
        },
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'broken.b: template request.guide uses "item", which is not set on every path here',
        'broken.b: template request.no_such_text does not exist',
      ]),
    );
  });

  it('knows what an edge action gives back to the replies after it', () => {
    const ok = validate(
      withFlow({
        id: 'fine',
        version: 1,
        start: 'a',
        states: {
          a: {
            say: ['request.summary'],
            reply: { options: [{ id: 'ok', label: 'opt.submit' }] },
            on: { ok: { to: 'end', do: 'create_errand', say: ['request.created'] } },
          },
        },
      }),
    );
    // request.summary needs item and the beneficiary data, which this toy flow never sets.
    expect(ok.some((p) => p.includes('request.summary'))).toBe(true);
    // request.created uses receiptNo, which create_errand gives back: no problem there.
    expect(ok.some((p) => p.includes('request.created') && p.includes('"receiptNo"'))).toBe(false);
    expect(ok.some((p) => p.includes('request.created') && p.includes('"forWhom"'))).toBe(true);
  });
});
