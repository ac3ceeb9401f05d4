/** The persisted state of one conversation (one person on one channel). */

export const CONVERSATION_SCHEMA_VERSION = 1;

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type FlowData = Record<string, Json>;

export interface FlowPosition {
  flowId: string;
  flowVersion: number;
  stateId: string;
  data: FlowData;
  /** Earlier positions in this flow, for 返回上一步. */
  history: { stateId: string; data: FlowData }[];
}

export interface ConversationState extends FlowPosition {
  /** Failed readings of the current question (re-asked once, then the menu). */
  retries: number;
  /** A flow put aside by an information flow (进度, 代办员是谁), resumed when that ends. */
  interrupted: FlowPosition | null;
  lastActiveAt: number;
}

export const IDLE_FLOW = 'main';
export const REGISTER_FLOW = 'register';
export const MAX_HISTORY = 12;

/** A data value as a string ('' when it is not one). */
export function dataText(value: Json | undefined): string {
  return typeof value === 'string' ? value : '';
}
