UPDATE restock_requests
   SET status = 'FAILED',
       last_error = LEFT(:#${header.LastError}, 1000),
       updated_at = CURRENT_TIMESTAMP(3)
 WHERE id = :#${header.RequestId}
   AND status = 'ORDERED'
