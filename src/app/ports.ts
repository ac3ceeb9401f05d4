/**
 * What the application needs from the outside, as interfaces. main.ts gives the real ones;
 * unit tests give fakes.
 */

export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface Clock {
  now(): number;
}

/** Told after a commit that outbox rows are waiting to be sent; delivery happens elsewhere. */
export interface OutboxDispatch {
  enqueue(outboxIds: readonly number[]): Promise<void>;
}
