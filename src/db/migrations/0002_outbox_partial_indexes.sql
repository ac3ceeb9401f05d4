DROP INDEX `outbox_status_idx`;--> statement-breakpoint
DROP INDEX `outbox_dedupe_uq`;--> statement-breakpoint
DROP INDEX `outbox_recipient_idx`;--> statement-breakpoint
DROP INDEX `outbox_room_idx`;--> statement-breakpoint
CREATE INDEX `outbox_pending_idx` ON `outbox` (`id`) WHERE status = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_dedupe_uq` ON `outbox` (`dedupe_key`) WHERE dedupe_key IS NOT NULL;--> statement-breakpoint
CREATE INDEX `outbox_recipient_idx` ON `outbox` (`channel`,`recipient`,`id`) WHERE room IS NULL;--> statement-breakpoint
CREATE INDEX `outbox_room_idx` ON `outbox` (`channel`,`room`,`id`) WHERE room IS NOT NULL;