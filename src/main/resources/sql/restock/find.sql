SELECT id, sku, factory_id AS factoryId, quantity, status, attempts, retries, republishes,
       factory_job_id AS factoryJobId, last_error AS lastError, lease_until AS leaseUntil, traceparent,
       created_at AS createdAt, updated_at AS updatedAt
  FROM restock_requests
 WHERE id = :#${variable.requestId}
