-- PUBLISHED requests nobody is ordering: no factory consumer took the message by claim_by, or
-- the consumer that took it stopped and its lease ran out (a live consumer finishes well within
-- its lease: checked at start).
SELECT id, sku, factory_id AS factoryId, quantity, status, attempts, retries, republishes,
       factory_job_id AS factoryJobId, last_error AS lastError, lease_until AS leaseUntil, traceparent
  FROM restock_requests
 WHERE status = 'PUBLISHED'
   AND (lease_until < CURRENT_TIMESTAMP(3) OR (lease_until IS NULL AND claim_by < CURRENT_TIMESTAMP(3)))
 ORDER BY claim_by
