-- Back to the outbox: it publishes the same request id again.
UPDATE restock_requests
   SET status = 'REQUESTED', publish_attempts = 0, next_publish_at = NULL, lease_until = NULL, calls_under_lease = 0,
       updated_at = CURRENT_TIMESTAMP(3)
 WHERE id = :#${variable.requestId}
   AND status = 'FAILED'
