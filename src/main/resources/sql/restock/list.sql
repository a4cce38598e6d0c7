-- The first page of restock requests, newest first, filtered by status and product when asked;
-- list-after.sql the pages after it (api/ListPages).
SELECT id, sku, quantity, status, attempts, last_error AS lastError, factory_job_id AS factoryJobId,
       created_at AS createdAt, updated_at AS updatedAt
  FROM restock_requests
 WHERE (:#${header.status} IS NULL OR status = :#${header.status})
   AND (:#${header.sku} IS NULL OR sku = :#${header.sku})
 ORDER BY created_at DESC, id DESC
 LIMIT :#${header.rows}
