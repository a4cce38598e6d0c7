SELECT id, sku, factory_id AS factoryId, quantity, retries, factory_job_id AS factoryJobId
  FROM restock_requests
 WHERE status = 'ORDERED'
   AND deliver_by < CURRENT_TIMESTAMP(3)
   AND (lease_until IS NULL OR lease_until < CURRENT_TIMESTAMP(3))
 ORDER BY deliver_by
