import type { Database } from '../db/open-database.ts';
import { recordSimulatorDelivery } from '../db/simulator-repository.ts';
import { createWriteBatcher } from '../db/write-batcher.ts';
import type { OutboundChannel, OutboundMessage } from '../app/ports.ts';

/**
 * The simulator channel: people talk to the bot through POST /api/simulator/messages and read what
 * it sent through GET /api/simulator/outbox. Its far end is the `simulator_deliveries` table: a
 * delivery is recorded once per de-duplication key, and a repeat (a worker died between sending and
 * marking the message sent) is only counted — so tests can see that nothing reached anyone twice.
 */
export function createSimulatorChannel(database: Database, now: () => number): OutboundChannel {
  const record = createWriteBatcher<OutboundMessage>(database, (messages) => {
    for (const m of messages) recordSimulatorDelivery(database, m.dedupeKey, m.outboxId, now());
  });
  return { name: 'simulator', send: record };
}
