CREATE TABLE `deadline_alerts` (
	`deadline_id` integer NOT NULL,
	`due_at` integer NOT NULL,
	`step` text NOT NULL,
	`errand_id` integer NOT NULL,
	`sent_at` integer NOT NULL,
	PRIMARY KEY(`deadline_id`, `due_at`, `step`),
	FOREIGN KEY (`deadline_id`) REFERENCES `errand_deadlines`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`errand_id`) REFERENCES `errands`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `deadline_alerts_sent_idx` ON `deadline_alerts` (`sent_at`);