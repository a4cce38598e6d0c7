-- Back to the outbox: it publishes the same request id again, in a new round (retries) with a
-- fresh budget of republishes. Only a FAILED request of the given round moves, so a retry asked
-- twice (or a dead letter moved back twice) sends it once.
UPDATE restock_requests
   SET status = 'REQUESTED', retries = retries + 1, republishes = 0, publish_attempts = 0, next_publish_at = NULL,
       lease_until = NULL, calls_under_lease = 0, updated_at = CURRENT_TIMESTAMP(3)
 WHERE id = :#${variable.requestId}
   AND status = 'FAILED'
   AND retries = :#${variable.round}
