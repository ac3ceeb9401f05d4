import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { catalogItems } from './catalogue.ts';
import { townships, villages } from './organisation.ts';
import { people } from './people.ts';

/** Errands, their append-only history, clocks, entrustments and one-time notices. */

/** Who an errand is for (domain/beneficiary.ts). Rows from before issue 13 have only kind, name and relation. */
export interface BeneficiaryJson {
  kind: 'self' | 'family';
  /** Null: not yet named (a newborn). */
  name?: string | null;
  relation?: string;
  ageGroup?: 'newborn' | 'minor' | 'adult' | 'elderly';
  phone?: string | null;
  whereabouts?: string | null;
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
    /**
     * confirmed: by the resident in chat; paper: a signed form the agent or centre holds; pending: not yet;
     * centre: a 派单 — the resident applied at the centre in person, nobody signed an entrustment to an agent.
     */
    entrustmentStatus: text('entrustment_status', { enum: ['confirmed', 'paper', 'pending', 'centre'] })
      .notNull()
      .default('confirmed'),
    /** The centre's result: approved or not, with its note. */
    outcome: text('outcome', { enum: ['approved', 'rejected'] }),
    resultNote: text('result_note'),
    /** How the result reaches the resident: home (the agent brings it) or self (they fetch it); null: by priority. */
    resultDelivery: text('result_delivery', { enum: ['home', 'self'] }),
    /** Incremented by every move; reminder job ids carry it. */
    version: integer('version').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    closedAt: integer('closed_at'),
  },
  (t) => [
    uniqueIndex('errands_receipt_uq').on(t.receiptNo),
    // Indexes a move does not touch (their columns never change), or partial ones a move touches
    // only when the errand enters or leaves their set: each write of a page costs at every commit.
    index('errands_requester_idx').on(t.requesterId, t.createdAt),
    index('errands_village_idx').on(t.villageCode, t.createdAt),
    index('errands_created_idx').on(t.createdAt),
    /** Errands waiting for an agent (待办 of a village). */
    index('errands_unclaimed_idx')
      .on(t.villageCode)
      .where(sql`status IN ('requested', 'dispatched')`),
    /** Errands at a centre (待办 of its staff). */
    index('errands_at_centre_idx')
      .on(t.townshipCode)
      .where(sql`status IN ('submitted', 'in_progress', 'handed_back')`),
    /** An agent's open errands (待办). */
    index('errands_agent_open_idx')
      .on(t.agentId)
      .where(sql`status NOT IN ('closed', 'withdrawn', 'refused', 'fed_back')`),
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
  // By errand (its clocks); running clocks by due time (逾期, reminders). Neither changes when a clock pauses or resumes.
  (t) => [
    index('errand_deadlines_errand_idx').on(t.errandId),
    index('errand_deadlines_running_idx')
      .on(t.dueAt)
      .where(sql`status = 'running'`),
  ],
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

/** One material as entered in the ledger at 收件. */
export interface LedgerMaterialJson {
  name: string;
  form: string;
  count: number;
  when?: string;
}

/** The ledger (登记造册): one entry per accepted errand, numbered per village and year. */
export const ledgerEntries = sqliteTable(
  'ledger_entries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    errandId: integer('errand_id')
      .notNull()
      .references(() => errands.id),
    villageCode: text('village_code')
      .notNull()
      .references(() => villages.code),
    year: integer('year').notNull(),
    seq: integer('seq').notNull(),
    /** e.g. qs-sq-2026-0007 */
    entryNo: text('entry_no').notNull(),
    agentId: text('agent_id')
      .notNull()
      .references(() => people.id),
    /** Where the beneficiary is not the requester: was the paper entrustment signed? Null otherwise. */
    paperEntrustmentSigned: integer('paper_entrustment_signed', { mode: 'boolean' }),
    /** The materials taken in at 收件 (what the agent holds for the resident); null on entries made before it was recorded. */
    materials: text('materials', { mode: 'json' }).$type<LedgerMaterialJson[]>(),
    enteredAt: integer('entered_at').notNull(),
  },
  (t) => [uniqueIndex('ledger_entries_errand_uq').on(t.errandId), uniqueIndex('ledger_entries_no_uq').on(t.villageCode, t.year, t.seq)],
);

/**
 * Materials to give back after a withdrawal (one per errand, made when it is withdrawn with materials
 * taken in): where they were, who must return them, by when, and — once done — who returned them,
 * when, with what note. The history (errand_events) records the return too.
 */
export const materialReturns = sqliteTable(
  'material_returns',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    errandId: integer('errand_id')
      .notNull()
      .references(() => errands.id),
    /** Where the materials were at the withdrawal: with the agent, or delivered to the centre. */
    heldAt: text('held_at', { enum: ['agent', 'centre'] }).notNull(),
    /** The agent who must bring them back (the errand's agent, or the one who entered it in the ledger). */
    agentId: text('agent_id').references(() => people.id),
    items: text('items', { mode: 'json' }).$type<LedgerMaterialJson[]>().notNull(),
    createdAt: integer('created_at').notNull(),
    returnedBy: text('returned_by').references(() => people.id),
    returnedRole: text('returned_role'),
    returnedAt: integer('returned_at'),
    note: text('note'),
  },
  (t) => [
    uniqueIndex('material_returns_errand_uq').on(t.errandId),
    /** Returns still owed (待办). */
    index('material_returns_open_idx')
      .on(t.agentId)
      .where(sql`returned_at IS NULL`),
  ],
);

export const receiptSequences = sqliteTable('receipt_sequences', {
  day: text('day').primaryKey(),
  last: integer('last').notNull(),
});

/**
 * Reminders and escalations already sent, one row per step of one due time of a clock: written in
 * the same transaction as the messages, so a step is never sent twice, and counted for supervision.
 */
export const deadlineAlerts = sqliteTable(
  'deadline_alerts',
  {
    deadlineId: integer('deadline_id')
      .notNull()
      .references(() => errandDeadlines.id),
    dueAt: integer('due_at').notNull(),
    /** r<n> (reminder n working days before) or e<k> (escalation level k). */
    step: text('step').notNull(),
    errandId: integer('errand_id')
      .notNull()
      .references(() => errands.id),
    sentAt: integer('sent_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.deadlineId, t.dueAt, t.step] }), index('deadline_alerts_sent_idx').on(t.sentAt)],
);
