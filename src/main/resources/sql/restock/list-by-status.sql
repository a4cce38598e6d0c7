SELECT id, sku, quantity, status, attempts, last_error AS lastError, factory_job_id AS factoryJobId,
       created_at AS createdAt, updated_at AS updatedAt
  FROM restock_requests
 WHERE status = :#${header.status}
 ORDER BY created_at DESC, id
 LIMIT 500
