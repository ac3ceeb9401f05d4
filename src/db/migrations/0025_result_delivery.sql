-- How the result of an errand reaches the resident: `home` (the agent brings it; the default for the priority
-- groups: elderly, disabled, left-behind, remote villages) or `self` (they fetch it). NULL: decided by priority.
ALTER TABLE `errands` ADD `result_delivery` text;
