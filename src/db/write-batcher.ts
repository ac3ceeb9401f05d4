import type { Database } from './open-database.ts';

/**
 * Groups writes that arrive in the same tick into one transaction: deliveries finishing together
 * share one commit instead of one each. Each caller's promise settles after the commit.
 */
export function createWriteBatcher<T>(database: Database, write: (items: readonly T[]) => void): (item: T) => Promise<void> {
  let batch: { item: T; resolve: () => void; reject: (e: unknown) => void }[] = [];
  const flush = () => {
    const current = batch;
    batch = [];
    try {
      database.write(() => write(current.map((b) => b.item)));
      for (const b of current) b.resolve();
    } catch (error) {
      for (const b of current) b.reject(error);
    }
  };
  return (item) =>
    new Promise<void>((resolve, reject) => {
      if (batch.length === 0) setImmediate(flush);
      batch.push({ item, resolve, reject });
    });
}
