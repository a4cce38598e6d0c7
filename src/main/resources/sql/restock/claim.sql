-- Only one consumer orders a request: it must still be waiting for the factory and nobody
-- else may hold a live lease on it. A request with a factory call counted that may have been
-- taken (the app stopped mid-call) is not ordered again (see claim-interrupted.sql). The update
-- count says whether this delivery won.
UPDATE restock_requests
   SET lease_until = TIMESTAMPADD(SECOND, :#${properties:factory.lease-s}, CURRENT_TIMESTAMP(3)),
       updated_at = CURRENT_TIMESTAMP(3)
 WHERE id = :#${variable.requestId}
   AND status IN ('REQUESTED', 'PUBLISHED')
   AND (lease_until IS NULL OR lease_until < CURRENT_TIMESTAMP(3))
   AND calls_under_lease = 0
