-- DESIGN rule 2: the request id makes the callback idempotent. Only the first callback
-- moves the request to FULFILLED (which also frees the open-request slot of the product).
UPDATE restock_requests
   SET status = 'FULFILLED', lease_until = NULL, calls_under_lease = 0, updated_at = CURRENT_TIMESTAMP(3)
 WHERE id = :#${header.request}
   AND status <> 'FULFILLED'
