-- Counted before the call goes out, so a crash during the call is known afterwards: the factory
-- may have taken an order whose answer we never saw.
UPDATE restock_requests
   SET attempts = attempts + 1, calls_under_lease = calls_under_lease + 1, updated_at = CURRENT_TIMESTAMP(3)
 WHERE id = :#${variable.requestId}
