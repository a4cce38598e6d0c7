SELECT id, sku, factory_id AS factoryId, quantity, status, attempts, retries, last_error AS lastError,
       factory_job_id AS factoryJobId, created_at AS createdAt, updated_at AS updatedAt
  FROM restock_requests
 WHERE id = :#${variable.requestId}
