SELECT id, sku, factory_id AS factoryId, quantity, retries
  FROM restock_requests
 WHERE status = 'REQUESTED'
   AND (next_publish_at IS NULL OR next_publish_at <= CURRENT_TIMESTAMP(3))
 ORDER BY created_at
