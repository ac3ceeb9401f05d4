CREATE TABLE `calendar_overrides` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`scope` text NOT NULL,
	`date` text NOT NULL,
	`kind` text NOT NULL,
	`reason` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `calendar_overrides_uq` ON `calendar_overrides` (`scope`,`date`);--> statement-breakpoint
CREATE TABLE `catalog_items` (
	`id` text PRIMARY KEY NOT NULL,
	`category` text NOT NULL,
	`name` text NOT NULL,
	`guide` text NOT NULL,
	`version` integer NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `channel_identities` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`channel` text NOT NULL,
	`external_id` text NOT NULL,
	`person_id` text,
	`created_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `channel_identities_external_uq` ON `channel_identities` (`channel`,`external_id`);--> statement-breakpoint
CREATE INDEX `channel_identities_person_idx` ON `channel_identities` (`person_id`);--> statement-breakpoint
CREATE TABLE `complaints` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`person_id` text NOT NULL,
	`errand_id` integer,
	`type` text NOT NULL,
	`text` text NOT NULL,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`errand_id`) REFERENCES `errands`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `complaints_status_idx` ON `complaints` (`status`);--> statement-breakpoint
CREATE TABLE `conversations` (
	`identity_id` integer PRIMARY KEY NOT NULL,
	`flow_id` text,
	`flow_version` integer,
	`schema_version` integer NOT NULL,
	`state` text NOT NULL,
	`revision` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`identity_id`) REFERENCES `channel_identities`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `county` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`hotline` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `entrustments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`errand_id` integer NOT NULL,
	`confirmed_by` text NOT NULL,
	`beneficiary` text NOT NULL,
	`text_version` text NOT NULL,
	`text` text NOT NULL,
	`privacy_consent` integer,
	`channel` text NOT NULL,
	`confirmed_at` integer NOT NULL,
	`paper_form_signed` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`errand_id`) REFERENCES `errands`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`confirmed_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `entrustments_errand_idx` ON `entrustments` (`errand_id`);--> statement-breakpoint
CREATE TABLE `errand_deadlines` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`errand_id` integer NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`started_at` integer NOT NULL,
	`working_days` integer NOT NULL,
	`due_date` text,
	`due_at` integer,
	`remaining_working_days` integer,
	`provisional` integer DEFAULT false NOT NULL,
	`closed_at` integer,
	FOREIGN KEY (`errand_id`) REFERENCES `errands`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `errand_deadlines_errand_idx` ON `errand_deadlines` (`errand_id`,`kind`);--> statement-breakpoint
CREATE INDEX `errand_deadlines_due_idx` ON `errand_deadlines` (`status`,`due_at`);--> statement-breakpoint
CREATE TABLE `errand_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`errand_id` integer NOT NULL,
	`version` integer NOT NULL,
	`type` text NOT NULL,
	`from_status` text,
	`to_status` text NOT NULL,
	`actor_person_id` text,
	`actor_role` text NOT NULL,
	`at` integer NOT NULL,
	`reason` text,
	`data` text,
	FOREIGN KEY (`errand_id`) REFERENCES `errands`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`actor_person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `errand_events_version_uq` ON `errand_events` (`errand_id`,`version`);--> statement-breakpoint
CREATE TABLE `errands` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`receipt_no` text NOT NULL,
	`direction` text NOT NULL,
	`status` text NOT NULL,
	`suspended_from` text,
	`item_id` text NOT NULL,
	`item_version` integer NOT NULL,
	`village_code` text NOT NULL,
	`township_code` text NOT NULL,
	`requester_id` text NOT NULL,
	`beneficiary` text NOT NULL,
	`collector_id` text,
	`agent_id` text,
	`channel` text NOT NULL,
	`note` text,
	`version` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`closed_at` integer,
	FOREIGN KEY (`item_id`) REFERENCES `catalog_items`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`village_code`) REFERENCES `villages`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`township_code`) REFERENCES `townships`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`requester_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`collector_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`agent_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `errands_receipt_uq` ON `errands` (`receipt_no`);--> statement-breakpoint
CREATE INDEX `errands_requester_idx` ON `errands` (`requester_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `errands_village_status_idx` ON `errands` (`village_code`,`status`);--> statement-breakpoint
CREATE INDEX `errands_status_idx` ON `errands` (`status`);--> statement-breakpoint
CREATE INDEX `errands_agent_idx` ON `errands` (`agent_id`,`status`);--> statement-breakpoint
CREATE TABLE `inbox` (
	`channel` text NOT NULL,
	`message_id` text NOT NULL,
	`identity_id` integer,
	`received_at` integer NOT NULL,
	`response` text,
	PRIMARY KEY(`channel`, `message_id`)
);
--> statement-breakpoint
CREATE INDEX `inbox_received_idx` ON `inbox` (`received_at`);--> statement-breakpoint
CREATE TABLE `one_time_notices` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`errand_id` integer NOT NULL,
	`version` integer NOT NULL,
	`kind` text NOT NULL,
	`items` text NOT NULL,
	`catalog_item_version` integer NOT NULL,
	`issued_by` text,
	`issued_at` integer NOT NULL,
	FOREIGN KEY (`errand_id`) REFERENCES `errands`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`issued_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `one_time_notices_version_uq` ON `one_time_notices` (`errand_id`,`version`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`channel` text NOT NULL,
	`recipient` text,
	`room` text,
	`text` text NOT NULL,
	`kind` text NOT NULL,
	`errand_id` integer,
	`dedupe_key` text,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`sent_at` integer,
	`last_error` text,
	FOREIGN KEY (`errand_id`) REFERENCES `errands`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_dedupe_uq` ON `outbox` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `outbox_recipient_idx` ON `outbox` (`channel`,`recipient`,`id`);--> statement-breakpoint
CREATE INDEX `outbox_room_idx` ON `outbox` (`channel`,`room`,`id`);--> statement-breakpoint
CREATE INDEX `outbox_status_idx` ON `outbox` (`status`,`id`);--> statement-breakpoint
CREATE TABLE `people` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`phone` text,
	`village_code` text,
	`tags` text DEFAULT '[]' NOT NULL,
	`public_profile` text,
	`source` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`village_code`) REFERENCES `villages`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `people_village_idx` ON `people` (`village_code`);--> statement-breakpoint
CREATE TABLE `person_roles` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`person_id` text NOT NULL,
	`role` text NOT NULL,
	`village_code` text,
	`township_code` text,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`village_code`) REFERENCES `villages`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`township_code`) REFERENCES `townships`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `person_roles_person_idx` ON `person_roles` (`person_id`);--> statement-breakpoint
CREATE INDEX `person_roles_village_idx` ON `person_roles` (`village_code`,`role`);--> statement-breakpoint
CREATE INDEX `person_roles_township_idx` ON `person_roles` (`township_code`,`role`);--> statement-breakpoint
CREATE TABLE `receipt_sequences` (
	`day` text PRIMARY KEY NOT NULL,
	`last` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `rooms` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`channel` text NOT NULL,
	`external_id` text NOT NULL,
	`kind` text NOT NULL,
	`village_code` text,
	`township_code` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`village_code`) REFERENCES `villages`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`township_code`) REFERENCES `townships`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rooms_external_uq` ON `rooms` (`channel`,`external_id`);--> statement-breakpoint
CREATE INDEX `rooms_village_idx` ON `rooms` (`village_code`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `townships` (
	`code` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`centre_name` text NOT NULL,
	`centre_phone` text NOT NULL,
	`centre_address` text NOT NULL,
	`centre_hours` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `villages` (
	`code` text PRIMARY KEY NOT NULL,
	`township_code` text NOT NULL,
	`name` text NOT NULL,
	`population` integer,
	`distance_km` real,
	`remote` integer DEFAULT false NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`township_code`) REFERENCES `townships`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `villages_township_idx` ON `villages` (`township_code`);