import { join } from 'node:path';
import { describe } from 'vitest';
import { transcriptTests } from '../support/transcript-runner.ts';

/** The villager's flows, as whole conversations (see test/support/transcript-runner.ts). */
describe('villager conversations (golden transcripts)', () => {
  transcriptTests(join(import.meta.dirname, 'transcripts'));
});
