CREATE TABLE `official_account_sends` (
	`dedupe_key` text NOT NULL,
	`route` text NOT NULL,
	`open_id` text NOT NULL,
	`template_id` text,
	`parts` integer NOT NULL,
	`parts_sent` integer DEFAULT 0 NOT NULL,
	`refused` integer DEFAULT false NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`dedupe_key`, `route`)
);
--> statement-breakpoint
CREATE INDEX `official_account_sends_user_idx` ON `official_account_sends` (`open_id`,`route`,`at`);--> statement-breakpoint
CREATE TABLE `outbox_routes` (
	`outbox_id` integer PRIMARY KEY NOT NULL,
	`route` text NOT NULL,
	`detail` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`outbox_id`) REFERENCES `outbox`(`id`) ON UPDATE no action ON DELETE no action
);
