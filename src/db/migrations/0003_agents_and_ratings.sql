CREATE TABLE `ledger_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`errand_id` integer NOT NULL,
	`village_code` text NOT NULL,
	`year` integer NOT NULL,
	`seq` integer NOT NULL,
	`entry_no` text NOT NULL,
	`agent_id` text NOT NULL,
	`paper_entrustment_signed` integer,
	`entered_at` integer NOT NULL,
	FOREIGN KEY (`errand_id`) REFERENCES `errands`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`village_code`) REFERENCES `villages`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`agent_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_entries_errand_uq` ON `ledger_entries` (`errand_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_entries_no_uq` ON `ledger_entries` (`village_code`,`year`,`seq`);--> statement-breakpoint
CREATE TABLE `ratings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`errand_id` integer NOT NULL,
	`person_id` text NOT NULL,
	`round` text NOT NULL,
	`score` integer NOT NULL,
	`reason_kind` text,
	`reason` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`errand_id`) REFERENCES `errands`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `ratings_errand_idx` ON `ratings` (`errand_id`);--> statement-breakpoint
CREATE INDEX `ratings_created_idx` ON `ratings` (`created_at`);--> statement-breakpoint
CREATE TABLE `rectification_cases` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`errand_id` integer NOT NULL,
	`rating_id` integer NOT NULL,
	`status` text NOT NULL,
	`due_date` text NOT NULL,
	`due_at` integer NOT NULL,
	`note` text,
	`resolved_by` text,
	`resolved_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`errand_id`) REFERENCES `errands`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`rating_id`) REFERENCES `ratings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`resolved_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `rectification_cases_errand_idx` ON `rectification_cases` (`errand_id`,`status`);--> statement-breakpoint
ALTER TABLE `complaints` ADD `due_date` text;--> statement-breakpoint
ALTER TABLE `complaints` ADD `due_at` integer;--> statement-breakpoint
CREATE INDEX `complaints_created_idx` ON `complaints` (`created_at`);--> statement-breakpoint
ALTER TABLE `errands` ADD `entrustment_status` text DEFAULT 'confirmed' NOT NULL;--> statement-breakpoint
ALTER TABLE `errands` ADD `outcome` text;--> statement-breakpoint
ALTER TABLE `errands` ADD `result_note` text;