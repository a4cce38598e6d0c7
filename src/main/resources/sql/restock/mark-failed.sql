-- A dead letter for a request that was ordered or delivered after all changes nothing.
UPDATE restock_requests
   SET status = 'FAILED',
       last_error = LEFT(:#${variable.lastError}, 1000),
       lease_until = NULL, calls_under_lease = 0,
       updated_at = CURRENT_TIMESTAMP(3)
 WHERE id = :#${variable.requestId}
   AND status IN ('REQUESTED', 'PUBLISHED')
