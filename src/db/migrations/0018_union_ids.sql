ALTER TABLE `channel_identities` ADD `union_id` text;--> statement-breakpoint
ALTER TABLE `channel_identities` ADD `union_checked_at` integer;--> statement-breakpoint
CREATE INDEX `channel_identities_union_idx` ON `channel_identities` (`union_id`) WHERE union_id IS NOT NULL;