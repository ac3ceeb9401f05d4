import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * The database schema. Times are integers in milliseconds since the epoch (UTC instants); calendar
 * dates are `YYYY-MM-DD` strings in Asia/Shanghai. JSON columns hold small structured values.
 * State and event literals are the same lower snake case strings as in the code.
 */

// ── organisation ────────────────────────────────────────────────────────────────────────────────

/** The one county of a deployment (a single row, id 1). */
export const county = sqliteTable('county', {
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
  hotline: text('hotline').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const townships = sqliteTable('townships', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  centreName: text('centre_name').notNull(),
  centrePhone: text('centre_phone').notNull(),
  centreAddress: text('centre_address').notNull(),
  centreHours: text('centre_hours').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const villages = sqliteTable(
  'villages',
  {
    code: text('code').primaryKey(),
    townshipCode: text('township_code')
      .notNull()
      .references(() => townships.code),
    name: text('name').notNull(),
    population: integer('population'),
    distanceKm: real('distance_km'),
    remote: integer('remote', { mode: 'boolean' }).notNull().default(false),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('villages_township_idx').on(t.townshipCode)],
);

// ── people ──────────────────────────────────────────────────────────────────────────────────────

export interface PublicProfile {
  position?: string;
  phone?: string;
  photoUrl?: string;
  hours?: string;
}

export const people = sqliteTable(
  'people',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    phone: text('phone'),
    villageCode: text('village_code').references(() => villages.code),
    tags: text('tags', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    publicProfile: text('public_profile', { mode: 'json' }).$type<PublicProfile>(),
    /** roster: loaded by an admin; chat: registered themselves in a conversation. */
    source: text('source', { enum: ['roster', 'chat'] }).notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('people_village_idx').on(t.villageCode)],
);

export const personRoles = sqliteTable(
  'person_roles',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    personId: text('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['resident', 'collector', 'agent', 'centre_staff', 'supervisor', 'admin'] }).notNull(),
    /** Scope: a village, a township, or neither (county-wide). */
    villageCode: text('village_code').references(() => villages.code),
    townshipCode: text('township_code').references(() => townships.code),
  },
  (t) => [
    index('person_roles_person_idx').on(t.personId),
    index('person_roles_village_idx').on(t.villageCode, t.role),
    index('person_roles_township_idx').on(t.townshipCode, t.role),
  ],
);

/** How a person is reached on a channel (an OpenID, a wechaty contact, a simulator name). */
export const channelIdentities = sqliteTable(
  'channel_identities',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    channel: text('channel').notNull(),
    externalId: text('external_id').notNull(),
    /** Null until the person registers (or after the identity was anonymised). */
    personId: text('person_id').references(() => people.id),
    createdAt: integer('created_at').notNull(),
    lastSeenAt: integer('last_seen_at').notNull(),
  },
  (t) => [uniqueIndex('channel_identities_external_uq').on(t.channel, t.externalId), index('channel_identities_person_idx').on(t.personId)],
);

/** Group chats bound to a village's agents or to a township centre. */
export const rooms = sqliteTable(
  'rooms',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    channel: text('channel').notNull(),
    externalId: text('external_id').notNull(),
    kind: text('kind', { enum: ['village_agents', 'centre'] }).notNull(),
    villageCode: text('village_code').references(() => villages.code),
    townshipCode: text('township_code').references(() => townships.code),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('rooms_external_uq').on(t.channel, t.externalId), index('rooms_village_idx').on(t.villageCode)],
);

// ── catalogue ───────────────────────────────────────────────────────────────────────────────────

export const catalogItems = sqliteTable('catalog_items', {
  id: text('id').primaryKey(),
  category: text('category').notNull(),
  name: text('name').notNull(),
  /** The whole service guide (CatalogItem) as validated JSON. */
  guide: text('guide', { mode: 'json' }).notNull(),
  version: integer('version').notNull(),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
  updatedAt: integer('updated_at').notNull(),
});

// ── errands ─────────────────────────────────────────────────────────────────────────────────────

export interface BeneficiaryJson {
  kind: 'self' | 'family';
  name?: string;
  relation?: string;
}

export const errands = sqliteTable(
  'errands',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    receiptNo: text('receipt_no').notNull(),
    direction: text('direction', { enum: ['village_to_centre', 'centre_to_village'] }).notNull(),
    status: text('status').notNull(),
    /** While suspended: the status to resume to. */
    suspendedFrom: text('suspended_from'),
    itemId: text('item_id')
      .notNull()
      .references(() => catalogItems.id),
    itemVersion: integer('item_version').notNull(),
    villageCode: text('village_code')
      .notNull()
      .references(() => villages.code),
    townshipCode: text('township_code')
      .notNull()
      .references(() => townships.code),
    requesterId: text('requester_id')
      .notNull()
      .references(() => people.id),
    beneficiary: text('beneficiary', { mode: 'json' }).$type<BeneficiaryJson>().notNull(),
    collectorId: text('collector_id').references(() => people.id),
    agentId: text('agent_id').references(() => people.id),
    /** The channel the request came in on. */
    channel: text('channel').notNull(),
    note: text('note'),
    /** Incremented by every move; reminder job ids carry it. */
    version: integer('version').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    closedAt: integer('closed_at'),
  },
  (t) => [
    uniqueIndex('errands_receipt_uq').on(t.receiptNo),
    index('errands_requester_idx').on(t.requesterId, t.createdAt),
    index('errands_village_status_idx').on(t.villageCode, t.status),
    index('errands_status_idx').on(t.status),
    index('errands_agent_idx').on(t.agentId, t.status),
  ],
);

/** Append-only history (台账): triggers in the migrations refuse UPDATE and DELETE. */
export const errandEvents = sqliteTable(
  'errand_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    errandId: integer('errand_id')
      .notNull()
      .references(() => errands.id),
    /** The errand's version after this event. */
    version: integer('version').notNull(),
    type: text('type').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    actorPersonId: text('actor_person_id').references(() => people.id),
    actorRole: text('actor_role').notNull(),
    at: integer('at').notNull(),
    reason: text('reason'),
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>(),
  },
  (t) => [uniqueIndex('errand_events_version_uq').on(t.errandId, t.version)],
);

export const errandDeadlines = sqliteTable(
  'errand_deadlines',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    errandId: integer('errand_id')
      .notNull()
      .references(() => errands.id),
    kind: text('kind').notNull(),
    status: text('status', { enum: ['running', 'paused', 'met', 'breached', 'cancelled'] }).notNull(),
    startedAt: integer('started_at').notNull(),
    workingDays: integer('working_days').notNull(),
    /** Shanghai calendar date on which it falls due (end of that day); null while paused. */
    dueDate: text('due_date'),
    dueAt: integer('due_at'),
    /** While paused: the working days that were left. */
    remainingWorkingDays: integer('remaining_working_days'),
    /** The calendar had no official data for a year it crossed: the date may move. */
    provisional: integer('provisional', { mode: 'boolean' }).notNull().default(false),
    closedAt: integer('closed_at'),
  },
  (t) => [index('errand_deadlines_errand_idx').on(t.errandId, t.kind), index('errand_deadlines_due_idx').on(t.status, t.dueAt)],
);

/** The resident's authorisation (授权委托) of an errand, with the exact text version agreed to. */
export const entrustments = sqliteTable(
  'entrustments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    errandId: integer('errand_id')
      .notNull()
      .references(() => errands.id),
    confirmedBy: text('confirmed_by')
      .notNull()
      .references(() => people.id),
    beneficiary: text('beneficiary', { mode: 'json' }).$type<BeneficiaryJson>().notNull(),
    textVersion: text('text_version').notNull(),
    text: text('text').notNull(),
    /** Separate consent for privacy-sensitive items; null when the item needs none. */
    privacyConsent: integer('privacy_consent', { mode: 'boolean' }),
    channel: text('channel').notNull(),
    confirmedAt: integer('confirmed_at').notNull(),
    /** A signed paper form (e.g. from a family member who is the beneficiary). */
    paperFormSigned: integer('paper_form_signed', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [index('entrustments_errand_idx').on(t.errandId)],
);

export interface NoticeItemJson {
  name: string;
  form: string;
  count: number;
  when?: string;
  notes?: string;
  /** false: demanded although the catalogue does not require it (an added obligation). */
  inCatalogue: boolean;
}

/** One-time notices (一次性告知): the complete list of materials, versioned per errand. */
export const oneTimeNotices = sqliteTable(
  'one_time_notices',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    errandId: integer('errand_id')
      .notNull()
      .references(() => errands.id),
    version: integer('version').notNull(),
    kind: text('kind', { enum: ['intake', 'return'] }).notNull(),
    items: text('items', { mode: 'json' }).$type<NoticeItemJson[]>().notNull(),
    catalogItemVersion: integer('catalog_item_version').notNull(),
    issuedBy: text('issued_by').references(() => people.id),
    issuedAt: integer('issued_at').notNull(),
  },
  (t) => [uniqueIndex('one_time_notices_version_uq').on(t.errandId, t.version)],
);

export const receiptSequences = sqliteTable('receipt_sequences', {
  day: text('day').primaryKey(),
  last: integer('last').notNull(),
});

// ── conversations and messaging ─────────────────────────────────────────────────────────────────

export const conversations = sqliteTable('conversations', {
  identityId: integer('identity_id')
    .primaryKey()
    .references(() => channelIdentities.id),
  flowId: text('flow_id'),
  flowVersion: integer('flow_version'),
  schemaVersion: integer('schema_version').notNull(),
  state: text('state', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  /** Compare-and-set guard: a save succeeds only against the revision that was read. */
  revision: integer('revision').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/** De-duplication of inbound deliveries by the channel's message id. */
export const inbox = sqliteTable(
  'inbox',
  {
    channel: text('channel').notNull(),
    messageId: text('message_id').notNull(),
    identityId: integer('identity_id'),
    receivedAt: integer('received_at').notNull(),
    /** The texts answered the first time, returned again for a re-delivery. */
    response: text('response', { mode: 'json' }).$type<string[]>(),
  },
  (t) => [primaryKey({ columns: [t.channel, t.messageId] }), index('inbox_received_idx').on(t.receivedAt)],
);

/** Every message the bot sends: direct replies (sent with the answer) and notifications (sent later). */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    channel: text('channel').notNull(),
    /** The recipient's channel identity (external id), or null for a room message. */
    recipient: text('recipient'),
    room: text('room'),
    text: text('text').notNull(),
    kind: text('kind', { enum: ['reply', 'notification'] }).notNull(),
    errandId: integer('errand_id').references(() => errands.id),
    dedupeKey: text('dedupe_key'),
    status: text('status', { enum: ['pending', 'sent', 'dead'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    createdAt: integer('created_at').notNull(),
    sentAt: integer('sent_at'),
    lastError: text('last_error'),
  },
  // Partial indexes: a direct reply (most rows) touches only one of them.
  (t) => [
    uniqueIndex('outbox_dedupe_uq').on(t.dedupeKey).where(sql`dedupe_key IS NOT NULL`),
    index('outbox_recipient_idx').on(t.channel, t.recipient, t.id).where(sql`room IS NULL`),
    index('outbox_room_idx').on(t.channel, t.room, t.id).where(sql`room IS NOT NULL`),
    index('outbox_pending_idx').on(t.id).where(sql`status = 'pending'`),
  ],
);

/** Small shared values, e.g. the roster's and the catalogue's change counters (caches compare them). */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

// ── supervision and administration ─────────────────────────────────────────────────────────────

export const complaints = sqliteTable(
  'complaints',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    personId: text('person_id')
      .notNull()
      .references(() => people.id),
    errandId: integer('errand_id').references(() => errands.id),
    type: text('type', { enum: ['shirking', 'added_obligation', 'overdue', 'extra_fee', 'other'] }).notNull(),
    text: text('text').notNull(),
    status: text('status', { enum: ['open', 'in_progress', 'resolved'] }).notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('complaints_status_idx').on(t.status)],
);

/** Local closures or extra working days; scope is 'county' or a township code. */
export const calendarOverrides = sqliteTable(
  'calendar_overrides',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    scope: text('scope').notNull(),
    date: text('date').notNull(),
    kind: text('kind', { enum: ['closed', 'open'] }).notNull(),
    reason: text('reason').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('calendar_overrides_uq').on(t.scope, t.date)],
);
