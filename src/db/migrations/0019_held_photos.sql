CREATE TABLE `held_photos` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`person_id` text NOT NULL,
	`channel` text NOT NULL,
	`media_id` text NOT NULL,
	`url` text,
	`file` text,
	`identity_id` integer,
	`received_at` integer NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`identity_id`) REFERENCES `channel_identities`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `held_photos_person_idx` ON `held_photos` (`person_id`,`received_at`);