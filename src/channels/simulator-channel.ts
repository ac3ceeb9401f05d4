import type { OutboundChannel } from './outbound-channel.ts';

/**
 * The simulator channel: people talk to the bot through POST /api/simulator/messages and read what
 * it sent through GET /api/simulator/outbox. Its wire is the outbox itself: a message is "on the
 * wire" once the outbox row is marked sent, so sending has nothing further to do.
 */
export function createSimulatorChannel(): OutboundChannel {
  return {
    name: 'simulator',
    send: () => Promise.resolve(),
  };
}
