UPDATE restock_requests
   SET attempts = attempts + 1, updated_at = CURRENT_TIMESTAMP(3)
 WHERE id = :#${variable.requestId}
