-- The request id makes the callback idempotent: only the first callback moves the request to
-- FULFILLED (which also frees the open-request slot of the product). A request that had FAILED
-- and is delivered after all loses its error with it.
UPDATE restock_requests
   SET status = 'FULFILLED', last_error = NULL, lease_until = NULL, calls_under_lease = 0,
       updated_at = CURRENT_TIMESTAMP(3)
 WHERE id = :#${header.request}
   AND status <> 'FULFILLED'
