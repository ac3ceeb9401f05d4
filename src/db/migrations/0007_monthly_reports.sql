CREATE TABLE `monthly_reports` (
	`period` text NOT NULL,
	`unit_kind` text NOT NULL,
	`unit_code` text NOT NULL,
	`figures` text NOT NULL,
	`computed_at` integer NOT NULL,
	PRIMARY KEY(`period`, `unit_kind`, `unit_code`)
);
