ALTER TABLE `channel_identities` ADD `last_message_at` integer;--> statement-breakpoint
ALTER TABLE `channel_identities` ADD `last_event_at` integer;--> statement-breakpoint
-- Until now every contact counted as a written message: keep that for the identities that exist.
UPDATE `channel_identities` SET `last_message_at` = `last_seen_at`;
