import { join } from 'node:path';
import { describe } from 'vitest';
import { transcriptTests } from '../../support/transcript-runner.ts';

/** Whole errands lived by chat: residents, agents in their rooms, the centre (see test/support/transcript-runner.ts). */
describe('errands by chat command (golden transcripts)', () => {
  transcriptTests(join(import.meta.dirname, 'transcripts'));
});
