-- The errand history (台账) and the one-time notices are append-only: nothing is ever changed or deleted.
CREATE TRIGGER errand_events_no_update BEFORE UPDATE ON errand_events
BEGIN
  SELECT RAISE(ABORT, 'errand_events is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER errand_events_no_delete BEFORE DELETE ON errand_events
BEGIN
  SELECT RAISE(ABORT, 'errand_events is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER one_time_notices_no_update BEFORE UPDATE ON one_time_notices
BEGIN
  SELECT RAISE(ABORT, 'one_time_notices is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER one_time_notices_no_delete BEFORE DELETE ON one_time_notices
BEGIN
  SELECT RAISE(ABORT, 'one_time_notices is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER entrustments_no_delete BEFORE DELETE ON entrustments
BEGIN
  SELECT RAISE(ABORT, 'entrustments are kept');
END;
