import { shanghaiDate } from '../calendar/local-date.ts';
import { insertOutbox, outboxKeyExists } from '../db/outbox-repository.ts';
import { statement } from '../db/statement-cache.ts';
import { findErrandById } from '../db/errand-repository.ts';
import { errandParties } from './errand-parties.ts';
import type { ErrandEnv } from './file-errand.ts';
import { moveErrand } from './move-errand.ts';
import { inviteResident, type InvitationEnv } from './resident-invitations.ts';

/**
 * What the system does by itself about ratings: a resident who has not rated is invited once more
 * after RATING_REMINDER_DAYS working days, and when the rating window ends the errand is archived.
 * Runs periodically; idempotent (the reminder's outbox key is remembered, archiving is a move).
 */

interface Waiting {
  errandId: number;
  startedAt: number;
  dueAt: number;
}

export function runRatingHousekeeping(env: ErrandEnv & InvitationEnv, now: number): { reminded: number; archived: number; pendingOutboxIds: number[] } {
  const { database } = env;
  return database.write(() => {
    const waiting = statement<[], Waiting>(
      database,
      `SELECT d.errand_id AS errandId, d.started_at AS startedAt, d.due_at AS dueAt FROM errand_deadlines d JOIN errands e ON e.id = d.errand_id
       WHERE d.kind = 'rating' AND d.status = 'running' AND e.status = 'fed_back'`,
    ).all();
    let reminded = 0;
    let archived = 0;
    const pending: number[] = [];
    const today = shanghaiDate(now);
    for (const w of waiting) {
      const errand = findErrandById(database, w.errandId);
      if (!errand) continue;
      if (now > w.dueAt) {
        moveErrand(env, { errandId: errand.id, event: 'archive', actor: { personId: null, role: 'system' }, reason: env.templates.render('reason.rating_window_closed', {}), now });
        archived++;
        continue;
      }
      const calendar = env.calendars.forTownship(errand.townshipCode);
      const remindOn = calendar.addWorkingDays(shanghaiDate(w.startedAt), env.deadlines.ratingReminderDays).date;
      const key = `errand-${errand.id}-v${errand.version}-rating-reminder`;
      if (today < remindOn || outboxKeyExists(database, key)) continue;
      const parties = errandParties(database, env.directory, errand, env.catalog.get(errand.itemId)?.name ?? errand.itemId);
      const laterText = env.templates.render('notify.rate_later', parties.vars);
      pending.push(...insertOutbox(database, inviteResident(env, { residentId: errand.requesterId, channel: errand.channel, flowId: 'rating', errandId: errand.id, laterText, dedupeKey: key, now }), now));
      reminded++;
    }
    return { reminded, archived, pendingOutboxIds: pending };
  });
}
