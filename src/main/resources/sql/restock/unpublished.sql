SELECT id, sku, factory_id AS factoryId, quantity, status, attempts, retries, republishes,
       factory_job_id AS factoryJobId, last_error AS lastError, lease_until AS leaseUntil, traceparent
  FROM restock_requests
 WHERE status = 'REQUESTED'
   AND (next_publish_at IS NULL OR next_publish_at <= CURRENT_TIMESTAMP(3))
 ORDER BY created_at
