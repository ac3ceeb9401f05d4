-- 好差评 numbered the way stars are: `level` 5 非常满意 … 1 非常不满意. The old column `score` ran the other
-- way (1 非常满意 … 5 非常不满意); the rename and the conversion (level = 6 − score) happen together, so no
-- row ever holds the old order under the new name. The errand history is append-only and keeps what it
-- recorded: old `rate` events carry `{"score": …}` (old order), new ones `{"level": …}`.
ALTER TABLE `ratings` RENAME COLUMN "score" TO "level";--> statement-breakpoint
UPDATE `ratings` SET `level` = 6 - `level` WHERE `level` BETWEEN 1 AND 5;
