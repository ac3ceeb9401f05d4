DROP INDEX `errand_deadlines_due_idx`;--> statement-breakpoint
DROP INDEX `errand_deadlines_errand_idx`;--> statement-breakpoint
CREATE INDEX `errand_deadlines_running_idx` ON `errand_deadlines` (`due_at`) WHERE status = 'running';--> statement-breakpoint
CREATE INDEX `errand_deadlines_errand_idx` ON `errand_deadlines` (`errand_id`);--> statement-breakpoint
DROP INDEX `errands_village_status_idx`;--> statement-breakpoint
DROP INDEX `errands_status_idx`;--> statement-breakpoint
DROP INDEX `errands_agent_idx`;--> statement-breakpoint
CREATE INDEX `errands_village_idx` ON `errands` (`village_code`,`created_at`);--> statement-breakpoint
CREATE INDEX `errands_created_idx` ON `errands` (`created_at`);--> statement-breakpoint
CREATE INDEX `errands_unclaimed_idx` ON `errands` (`village_code`) WHERE status IN ('requested', 'dispatched');--> statement-breakpoint
CREATE INDEX `errands_at_centre_idx` ON `errands` (`township_code`) WHERE status IN ('submitted', 'in_progress', 'handed_back');--> statement-breakpoint
CREATE INDEX `errands_agent_open_idx` ON `errands` (`agent_id`) WHERE status NOT IN ('closed', 'withdrawn', 'refused', 'fed_back');