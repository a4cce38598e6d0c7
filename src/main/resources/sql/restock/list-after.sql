-- A page of restock requests after the one its cursor names, in the order of list.sql. The
-- position is read from that request's own row, so the database compares its timestamps with
-- themselves; requests created meanwhile are newer and come before it.
SELECT r.id, r.sku, r.quantity, r.status, r.attempts, r.last_error AS lastError, r.factory_job_id AS factoryJobId,
       r.created_at AS createdAt, r.updated_at AS updatedAt
  FROM restock_requests r
  JOIN restock_requests cursor_row ON cursor_row.id = :#${header.after}
 WHERE (r.created_at < cursor_row.created_at OR (r.created_at = cursor_row.created_at AND r.id < cursor_row.id))
   AND (:#${header.status} IS NULL OR r.status = :#${header.status})
   AND (:#${header.sku} IS NULL OR r.sku = :#${header.sku})
 ORDER BY r.created_at DESC, r.id DESC
 LIMIT :#${header.rows}
