CREATE TABLE `simulator_deliveries` (
	`dedupe_key` text PRIMARY KEY NOT NULL,
	`outbox_id` integer NOT NULL,
	`delivered_at` integer NOT NULL,
	`repeats` integer DEFAULT 0 NOT NULL
);
