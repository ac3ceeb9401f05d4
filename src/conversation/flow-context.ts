import type { Catalog } from '../catalog/catalog.ts';
import type { ItemMatcher } from '../catalog/item-matcher.ts';
import type { Beneficiary } from '../domain/beneficiary.ts';
import type { DeadlineKind, ErrandStatus } from '../domain/errand-lifecycle.ts';
import type { MaterialCustody } from '../domain/material-custody.ts';

/**
 * What the conversation engine may read: a snapshot the application prepares for each message.
 * Plain values (some computed lazily by the application); the engine never writes to it.
 */

export interface PersonView {
  id: string;
  name: string;
  phone: string | null;
  villageCode: string | null;
  villageName: string | null;
  tags: readonly string[];
  /** Elderly, disabled, 三留守 or living in a remote village: self-service is not pushed. */
  priority: boolean;
}

export interface VillageView {
  code: string;
  name: string;
  townshipName: string;
}

export interface AgentView {
  name: string;
  position: string | null;
  phone: string | null;
  hours: string | null;
  photoUrl: string | null;
}

export interface CentreView {
  name: string;
  phone: string;
  address: string;
  hours: string;
}

export interface ErrandEventView {
  at: string;
  text: string;
}

export interface ErrandView {
  id: number;
  receiptNo: string;
  itemId: string;
  itemName: string;
  /** Who it is for (name null: self, or a child not yet named). */
  beneficiary: Beneficiary;
  /** An agent filed it for the resident, who has not confirmed the entrustment yet. */
  entrustmentPending: boolean;
  /** What the resident may rate now: the errand, the rectification of a bad review, or nothing. */
  ratable: 'first' | 'rectification' | null;
  status: ErrandStatus;
  /** The status in plain words. */
  statusText: string;
  createdAt: string;
  /** Who the errand is for, e.g. 本人 or 母亲 王秀英. */
  forWhom: string;
  /** Who holds it now, in plain words (e.g. 代办员 李明, 青山镇便民服务中心). */
  holder: string;
  deadline: { kind: DeadlineKind; label: string; dueDate: string; provisional: boolean; overdue: boolean } | null;
  events: readonly ErrandEventView[];
  open: boolean;
  withdrawable: boolean;
  /** The result has not reached the resident yet: they may still choose 送到家 or 自己去取. */
  resultPending: boolean;
  /**
   * The materials taken in at 收件: where they are (none taken in, with the agent, delivered to the
   * centre), the list in words, the agent who holds or returns them, and after a withdrawal whether
   * they were given back.
   */
  materials: { at: MaterialCustody; list: string; agentName: string | null; returned: boolean };
}

export interface FlowContext {
  /** Milliseconds since the epoch; the engine's only notion of time. */
  now: number;
  identity: { channel: string; externalId: string };
  person: PersonView | null;
  villages: readonly VillageView[];
  catalog: Catalog;
  matcher: ItemMatcher;
  /** The resident's village agent, if the village has one. */
  agent: AgentView | null;
  centre: CentreView | null;
  county: { name: string; hotline: string };
  /** The resident's errands (as requester or beneficiary), newest first. */
  readonly myErrands: readonly ErrandView[];
}
