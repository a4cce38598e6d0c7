-- Back to the outbox, which publishes the same request id again. The conditions are the
-- sweep's claim: whichever instance moves the request first acts, the others change nothing.
-- calls_under_lease stays, so a call the factory may have taken is still known to claim.sql.
UPDATE restock_requests
   SET status = 'REQUESTED', republishes = republishes + 1, lease_until = NULL,
       publish_attempts = 0, next_publish_at = NULL, updated_at = CURRENT_TIMESTAMP(3)
 WHERE id = :#${variable.requestId}
   AND status = 'PUBLISHED'
   AND (lease_until < CURRENT_TIMESTAMP(3) OR (lease_until IS NULL AND claim_by < CURRENT_TIMESTAMP(3)))
   AND republishes < :#${properties:restock.republish-attempts}
