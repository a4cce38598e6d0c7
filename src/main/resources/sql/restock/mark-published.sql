-- From now on a factory consumer must take the request by claim_by, or the deadline sweep
-- publishes it again (unclaimed.sql).
UPDATE restock_requests
   SET status = 'PUBLISHED', last_error = NULL, next_publish_at = NULL,
       claim_by = TIMESTAMPADD(SECOND, :#${properties:restock.publish-deadline-s}, CURRENT_TIMESTAMP(3)),
       updated_at = CURRENT_TIMESTAMP(3)
 WHERE id = :#${body.id} AND status = 'REQUESTED'
