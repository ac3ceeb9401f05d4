import type { TemplateSet } from '../conversation/templates.ts';
import { errandsOfRequester } from '../db/errand-queries.ts';
import type { Database } from '../db/open-database.ts';
import type { NewOutboxMessage } from '../db/outbox-repository.ts';
import type { IdentityRow, PersonRow } from '../db/people-repository.ts';
import { insertHeldPhoto, insertPhoto } from '../db/photo-repository.ts';
import { isOpenForResident, type ErrandStatus } from '../domain/errand-lifecycle.ts';
import type { Directory } from './directory.ts';
import { errandNotifier, errandParties } from './errand-parties.ts';

/**
 * A photo a resident sent instead of words (a material, a certificate): kept on their newest open
 * errand by the channel's media id, and the errand's agent (or the village's agents while nobody
 * holds it) is told privately. Without an open errand it is held for the next errand they file
 * (three days; file-errand.ts attaches it). Before registering, the resident is told to register
 * first; nothing is kept.
 */

export interface PhotoOutcome {
  reply: string;
  notices: NewOutboxMessage[];
}

export function keepResidentPhoto(
  env: { database: Database; directory: Directory; templates: TemplateSet },
  p: { identity: IdentityRow; person: PersonRow | null; channel: string; mediaId: string; url: string | null; file?: string; now: number },
): PhotoOutcome {
  const { database, templates } = env;
  const county = env.directory.county;
  if (!p.person) return { reply: templates.render('photo.unregistered', { county }), notices: [] };
  const open = errandsOfRequester(database, p.person.id, 50).find((e) => isOpenForResident(e.errand.status as ErrandStatus));
  if (!open) {
    // Sent before saying what it is for: held for the next errand they file.
    insertHeldPhoto(database, {
      personId: p.person.id,
      channel: p.channel,
      mediaId: p.mediaId,
      url: p.url,
      file: p.file ?? null,
      identityId: p.identity.id,
      at: p.now,
    });
    return { reply: templates.render('photo.held', { county }), notices: [] };
  }
  const photoId = insertPhoto(database, {
    errandId: open.errand.id,
    channel: p.channel,
    mediaId: p.mediaId,
    url: p.url,
    file: p.file ?? null,
    identityId: p.identity.id,
    at: p.now,
  });
  const parties = errandParties(database, env.directory, open.errand, open.itemName);
  const notices = errandNotifier(database, env.directory, templates, parties, `photo-${photoId}`).agents('photo.to_agent');
  return { reply: templates.render('photo.kept', { receiptNo: open.errand.receiptNo, itemName: open.itemName }), notices };
}
