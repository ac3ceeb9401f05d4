/** The de-duplication key a channel's far end sees for one outbox row (a retry after a crash sends the same key). */
export const deliveryKey = (outboxId: number) => `daiban-outbox-${outboxId}`;
