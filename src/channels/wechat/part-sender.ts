/**
 * Sends a long message's parts in order, one call each, and remembers (in this process) how many
 * parts the remote took, so that a retry of the same message (same dedupe key) sends only the rest.
 * A retry on another worker does not know and may send earlier parts again.
 */
export function createPartSender(remember = 1000) {
  const taken = new Map<string, number>();
  return {
    async send(key: string, parts: readonly string[], sendPart: (part: string, index: number) => Promise<void>): Promise<void> {
      for (let i = taken.get(key) ?? 0; i < parts.length; i++) {
        await sendPart(parts[i]!, i);
        if (i + 1 < parts.length) {
          // A message retried on another worker never comes back here: keep the map small.
          if (taken.size >= remember) taken.delete(taken.keys().next().value!);
          taken.set(key, i + 1);
        }
      }
      taken.delete(key);
    },
    /** The message was refused for good: nothing more of it will be sent. */
    forget(key: string): void {
      taken.delete(key);
    },
  };
}
