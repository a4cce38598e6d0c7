SELECT id, sku, factory_id AS factoryId, quantity, status, attempts, retries, republishes,
       factory_job_id AS factoryJobId, last_error AS lastError, lease_until AS leaseUntil, traceparent
  FROM restock_requests
 WHERE status = 'ORDERED'
   AND deliver_by < CURRENT_TIMESTAMP(3)
   AND (lease_until IS NULL OR lease_until < CURRENT_TIMESTAMP(3))
 ORDER BY deliver_by
