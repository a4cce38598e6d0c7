-- Stays REQUESTED; the next try waits 1, 2, 5, 10, 17 ... seconds, capped, by the database clock.
UPDATE restock_requests
   SET publish_attempts = publish_attempts + 1,
       last_error = :#${variable.error},
       next_publish_at = TIMESTAMPADD(SECOND, LEAST(:#${variable.maxBackoffSeconds}, 1 + publish_attempts * publish_attempts), CURRENT_TIMESTAMP(3)),
       updated_at = CURRENT_TIMESTAMP(3)
 WHERE id = :#${body.id} AND status = 'REQUESTED'
