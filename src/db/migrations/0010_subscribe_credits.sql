CREATE TABLE `subscribe_credits` (
	`app` text NOT NULL,
	`open_id` text NOT NULL,
	`template_id` text NOT NULL,
	`credits` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`app`, `open_id`, `template_id`)
);
