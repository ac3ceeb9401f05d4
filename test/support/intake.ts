/** What intake needs of an app: startTestApp's (over HTTP) and openUseCaseApp's (the handler alone) both serve. */
export interface Chat {
  say(from: string, text: string, room?: string | null): Promise<string[]>;
  /** Waits until (or makes sure that) every pending notification is delivered. */
  settle(): Promise<void>;
}

/** Files an errand through the chat as a registered resident; returns the receipt number. */
export async function fileErrandByChat(app: Chat, from: string, words: string, answers: string[]): Promise<string> {
  let last: string[] = await app.say(from, words);
  for (const answer of answers) last = await app.say(from, answer);
  const receipt = /DB\d{9,}/.exec(last.join('\n'))?.[0];
  if (!receipt) throw new Error(`no receipt number in: ${last.join('\n')}`);
  return receipt;
}

/** Answers for a resident without priority asking for the 宅基地 item (not privacy-sensitive, no self-service). */
export const homesteadAnswers = ['1', '1', '同意', '知道了', '1'];

/**
 * Takes a 宅基地 errand of liu-fang (柳湾社区) through claim, acceptance, delivery, the centre's
 * acceptance and completion, and the agent's feedback; returns its receipt number.
 */
export async function fedBackErrand(app: Chat): Promise<string> {
  const receipt = await fileErrandByChat(app, 'liu-fang', '宅基地建房', homesteadAnswers);
  const lw = 'lw-agents@chatroom';
  const centre = 'qs-centre@chatroom';
  for (const [from, text, room] of [
    ['agent-sun', `接单 ${receipt}`, lw],
    ['agent-sun', `收件 ${receipt}`, lw],
    ['agent-sun', `递交 ${receipt}`, lw],
    ['centre-chen', `受理 ${receipt} 3个工作日`, centre],
    ['centre-chen', `办结 ${receipt} 已批准`, centre],
    ['agent-sun', `反馈 ${receipt}`, null],
  ] as const) {
    const [reply] = await app.say(from, text, room);
    if (!reply || /不能|没有找到|格式不对/.test(reply)) throw new Error(`${text} was refused: ${reply ?? '(no reply)'}`);
  }
  await app.settle();
  return receipt;
}
