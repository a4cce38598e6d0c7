UPDATE restock_requests
   SET status = 'PUBLISHED', last_error = NULL, next_publish_at = NULL, updated_at = CURRENT_TIMESTAMP(3)
 WHERE id = :#id AND status = 'REQUESTED'
