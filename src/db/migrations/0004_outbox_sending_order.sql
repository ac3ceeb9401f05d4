DROP INDEX `outbox_recipient_idx`;--> statement-breakpoint
DROP INDEX `outbox_room_idx`;--> statement-breakpoint
ALTER TABLE `outbox` ADD `sent_seq` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_sent_seq_uq` ON `outbox` (`sent_seq`) WHERE sent_seq IS NOT NULL;--> statement-breakpoint
CREATE INDEX `outbox_recipient_idx` ON `outbox` (`channel`,`recipient`,`sent_seq`) WHERE room IS NULL;--> statement-breakpoint
CREATE INDEX `outbox_room_idx` ON `outbox` (`channel`,`room`,`sent_seq`) WHERE room IS NOT NULL;--> statement-breakpoint
UPDATE `outbox` SET `sent_seq` = `id` WHERE `status` = 'sent';