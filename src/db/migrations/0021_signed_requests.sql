CREATE TABLE `signed_requests` (
	`key` text PRIMARY KEY NOT NULL,
	`digest` text NOT NULL
) WITHOUT ROWID;
