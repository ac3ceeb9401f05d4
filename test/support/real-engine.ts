import { contentDirs } from '../../src/compose.ts';
import { loadContent } from '../../src/content/load-content.ts';
import { actionRegistry } from '../../src/conversation/actions/action-registry.ts';
import { createConversationEngine, type Reply } from '../../src/conversation/engine.ts';
import type { ErrandView } from '../../src/conversation/flow-context.ts';

/**
 * The real conversation engine over the shipped flows, intents and templates, for unit tests that drive
 * whole steps without a database (the context comes from fake-flow-context.ts).
 */

export const realContent = loadContent(contentDirs);

export const realEngine = createConversationEngine({
  flows: realContent.flows,
  intents: realContent.intents,
  actions: actionRegistry,
  labelText: (key: string) => realContent.templates.render(key, {}),
  resumeAfterMs: 6 * 3_600_000,
  maxTextLength: 2000,
});

/** The template keys of the replies, with 'options' for a numbered list. */
export const replyKeys = (replies: Reply[]): string[] => replies.map((r) => (r.kind === 'template' ? r.template : 'options'));

/** An open errand of the resident's as the flows see it (accepted, withdrawable); override what a test needs. */
export function errandView(overrides: Partial<ErrandView> = {}): ErrandView {
  return {
    id: 1,
    receiptNo: 'DB261201001',
    itemId: 'minimum-living-allowance',
    itemName: '最低生活保障',
    beneficiary: { kind: 'self' },
    entrustmentPending: false,
    ratable: null,
    status: 'accepted',
    statusText: '已收件',
    createdAt: '2026-12-01',
    forWhom: '本人',
    holder: '代办员 孙建国',
    deadline: null,
    events: [],
    open: true,
    withdrawable: true,
    resultPending: false,
    materials: { at: 'none', list: '', agentName: null, returned: false },
    ...overrides,
  };
}
