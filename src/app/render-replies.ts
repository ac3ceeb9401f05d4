import type { EffectResults } from '../conversation/effects.ts';
import type { Reply } from '../conversation/engine.ts';
import type { TemplateSet } from '../conversation/templates.ts';

/**
 * Renders one step's replies as one chat message: the texts separated by a blank line, a numbered
 * options block right under the question it answers. Effect results (the receipt number…) join the
 * variables of every reply.
 */
export function renderReplies(templates: TemplateSet, replies: readonly Reply[], results: EffectResults = {}): string | null {
  const parts: string[] = [];
  for (const reply of replies) {
    if (reply.kind === 'options') {
      const block = templates.render('common.options', { items: reply.items });
      if (parts.length) parts[parts.length - 1] += `\n${block}`;
      else parts.push(block);
    } else {
      const text = templates.render(reply.template, { ...reply.vars, ...results });
      if (text) parts.push(text);
    }
  }
  return parts.length ? parts.join('\n\n') : null;
}
