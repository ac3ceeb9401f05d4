CREATE TABLE `mini_program_phones` (
	`identity_id` integer PRIMARY KEY NOT NULL,
	`phone` text NOT NULL,
	`verified_at` integer NOT NULL,
	FOREIGN KEY (`identity_id`) REFERENCES `channel_identities`(`id`) ON UPDATE no action ON DELETE no action
);
