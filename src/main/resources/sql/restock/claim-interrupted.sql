-- No live lease, but a factory call that may have been taken was counted and its answer never
-- recorded: the app stopped mid-order. Taking the lease lets exactly one delivery dead-letter
-- the request.
UPDATE restock_requests
   SET lease_until = TIMESTAMPADD(SECOND, :#${properties:factory.lease-s}, CURRENT_TIMESTAMP(3)),
       updated_at = CURRENT_TIMESTAMP(3)
 WHERE id = :#${variable.requestId}
   AND status IN ('REQUESTED', 'PUBLISHED')
   AND (lease_until IS NULL OR lease_until < CURRENT_TIMESTAMP(3))
   AND calls_under_lease > 0
