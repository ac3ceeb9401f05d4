CREATE TABLE `mini_program_requests` (
	`identity_id` integer NOT NULL,
	`idempotency_key` text NOT NULL,
	`request_hash` text NOT NULL,
	`response` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`identity_id`, `idempotency_key`),
	FOREIGN KEY (`identity_id`) REFERENCES `channel_identities`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `mini_program_sessions` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`identity_id` integer NOT NULL,
	`open_id` text NOT NULL,
	`union_id` text,
	`session_key` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`identity_id`) REFERENCES `channel_identities`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `mini_program_sessions_identity_idx` ON `mini_program_sessions` (`identity_id`);--> statement-breakpoint
CREATE INDEX `mini_program_sessions_expiry_idx` ON `mini_program_sessions` (`expires_at`);