CREATE TABLE `errand_photos` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`errand_id` integer NOT NULL,
	`channel` text NOT NULL,
	`media_id` text NOT NULL,
	`url` text,
	`identity_id` integer,
	`received_at` integer NOT NULL,
	FOREIGN KEY (`errand_id`) REFERENCES `errands`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`identity_id`) REFERENCES `channel_identities`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `errand_photos_errand_idx` ON `errand_photos` (`errand_id`);