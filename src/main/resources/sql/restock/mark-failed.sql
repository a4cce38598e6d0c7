-- A dead letter fails its request only where it says the request stopped, and in the same round
-- (retries): a late dead letter for a request that was ordered, delivered or retried since
-- changes nothing. SQS's own redrive says nothing of a consumer, so it waits for a live lease.
UPDATE restock_requests
   SET status = 'FAILED',
       last_error = LEFT(:#${variable.lastError}, 1000),
       lease_until = NULL, calls_under_lease = 0,
       updated_at = CURRENT_TIMESTAMP(3)
 WHERE id = :#${variable.requestId}
   AND retries = :#${variable.round}
   AND (   (:#${variable.reason} = 'delivery_overdue' AND status = 'ORDERED')
        OR (:#${variable.reason} = 'sqs_redrive' AND status = 'PUBLISHED'
            AND (lease_until IS NULL OR lease_until < CURRENT_TIMESTAMP(3)))
        OR (:#${variable.reason} NOT IN ('delivery_overdue', 'sqs_redrive') AND status IN ('REQUESTED', 'PUBLISHED')))
