import { formatShanghaiDateTime } from '../../calendar/local-date.ts';
import { errandFacts } from '../../db/notification-facts-query.ts';
import type { Database } from '../../db/open-database.ts';
import type { NotificationFacts } from './message-templates.ts';

/** What a notification's template fields can show: its text and its errand's facts as they are now. */

/** WeChat's time and date fields show "2026年12月1日 09:00" / "2026年12月4日". */
const chineseDate = (date: string) => {
  const [y, m, d] = date.split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
};
const chineseDateTime = (dateTime: string) => `${chineseDate(dateTime.slice(0, 10))} ${dateTime.slice(11, 16)}`;

export function notificationFacts(
  database: Database,
  message: { text: string; errandId?: number | null },
  statusLabel: (status: string) => string | null,
  now: number,
): NotificationFacts {
  const errand = message.errandId ? errandFacts(database, message.errandId) : undefined;
  return {
    text: message.text,
    kind: errand?.status ?? 'general',
    itemName: errand?.itemName ?? null,
    status: errand?.status ?? null,
    statusLabel: errand ? statusLabel(errand.status) : null,
    receiptNo: errand?.receiptNo ?? null,
    dueDate: errand?.dueDate ? chineseDate(errand.dueDate) : null,
    villageName: errand?.villageName ?? null,
    now: chineseDateTime(formatShanghaiDateTime(now)),
  };
}
