CREATE TABLE `wechaty_bind_codes` (
	`code` text PRIMARY KEY NOT NULL,
	`target` text NOT NULL,
	`person_id` text,
	`village_code` text,
	`township_code` text,
	`issued_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`used_by` text,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`village_code`) REFERENCES `villages`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`township_code`) REFERENCES `townships`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `wechaty_links` (
	`key` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`wechaty_id` text,
	`name` text NOT NULL,
	`alias` text,
	`created_at` integer NOT NULL,
	`resolved_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `wechaty_links_id_uq` ON `wechaty_links` (`kind`,`wechaty_id`);--> statement-breakpoint
CREATE INDEX `wechaty_links_name_idx` ON `wechaty_links` (`kind`,`name`);