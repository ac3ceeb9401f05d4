-- Withdrawing after 收件: the ledger entry keeps the materials taken in, and material_returns records the
-- task of giving them back (where they were, who must return them) and the return itself (who, when, note).
CREATE TABLE `material_returns` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`errand_id` integer NOT NULL,
	`held_at` text NOT NULL,
	`agent_id` text,
	`items` text NOT NULL,
	`created_at` integer NOT NULL,
	`returned_by` text,
	`returned_role` text,
	`returned_at` integer,
	`note` text,
	FOREIGN KEY (`errand_id`) REFERENCES `errands`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`agent_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`returned_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `material_returns_errand_uq` ON `material_returns` (`errand_id`);--> statement-breakpoint
CREATE INDEX `material_returns_open_idx` ON `material_returns` (`agent_id`) WHERE returned_at IS NULL;--> statement-breakpoint
ALTER TABLE `ledger_entries` ADD `materials` text;