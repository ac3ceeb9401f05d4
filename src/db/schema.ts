/**
 * The database schema, one file per concept under schema/. Times are integers in milliseconds since
 * the epoch (UTC instants); calendar dates are `YYYY-MM-DD` strings in Asia/Shanghai. JSON columns
 * hold small structured values. State and event literals are the same lower snake case strings as
 * in the code. drizzle-kit reads this file to generate migrations (src/db/migrations).
 */
export * from './schema/organisation.ts';
export * from './schema/people.ts';
export * from './schema/catalogue.ts';
export * from './schema/errands.ts';
export * from './schema/messaging.ts';
export * from './schema/supervision.ts';
export * from './schema/reports.ts';
export * from './schema/wechat-credits.ts';
export * from './schema/errand-photos.ts';
export * from './schema/official-account-sends.ts';
export * from './schema/wechaty.ts';
export * from './schema/mini-program.ts';
export * from './schema/mini-program-phones.ts';
export * from './schema/signed-requests.ts';
