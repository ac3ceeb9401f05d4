import type { TestApp } from './test-app.ts';

/** Files an errand through the chat as a registered resident; returns the receipt number. */
export async function fileErrandByChat(app: TestApp, from: string, words: string, answers: string[]): Promise<string> {
  let last: string[] = await app.say(from, words);
  for (const answer of answers) last = await app.say(from, answer);
  const receipt = /DB\d{9,}/.exec(last.join('\n'))?.[0];
  if (!receipt) throw new Error(`no receipt number in: ${last.join('\n')}`);
  return receipt;
}

/** Answers for a resident without priority asking for the 宅基地 item (not privacy-sensitive, no self-service). */
export const homesteadAnswers = ['1', '1', '同意', '知道了', '1'];
