import type { ActionSpec } from '../action-spec.ts';

/** Free text at the menu: words that name an errand start a request with them. */
export const routeFreeText: ActionSpec = {
  outcomes: { request: ['initialText'], none: [] },
  run({ text, ctx }) {
    const t = text ?? '';
    return ctx.matcher.match(t, 1).length > 0 ? { outcome: 'request', set: { initialText: t } } : { outcome: 'none' };
  },
};
