ALTER TABLE `errand_photos` ADD `file` text;--> statement-breakpoint
ALTER TABLE `errand_photos` ADD `fetch_attempts` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `errand_photos` ADD `fetch_error` text;--> statement-breakpoint
CREATE INDEX `errand_photos_unfetched_idx` ON `errand_photos` (`received_at`) WHERE file IS NULL;