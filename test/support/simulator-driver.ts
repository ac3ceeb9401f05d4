import type { ChannelDriver } from './channel-driver.ts';
import { startTestApp } from './test-app.ts';

/** The simulator channel as a conformance driver: roster people already have simulator identities. */
export async function startSimulatorDriver(): Promise<ChannelDriver> {
  const app = await startTestApp();
  return {
    channel: 'simulator',
    app,
    bind: async () => undefined,
    say: (person, text) => app.say(person, text),
    sayInRoom: (room, person, text, mention) => app.say(person, mention ? `@${app.config.botName} ${text}` : text, room),
    notificationsTo: async (person, atLeast) => (await app.waitForOutbox({ to: person }, atLeast)).map((m) => m.text),
    close: () => app.close(),
  };
}
