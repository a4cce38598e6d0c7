-- The sweep dead-letters a request it already published again RESTOCK_REPUBLISH_ATTEMPTS times.
-- Its lease lets one instance send the dead letter; if the send fails, the lease runs out and
-- the next sweep tries again. The alert route clears it when it marks the request FAILED.
UPDATE restock_requests
   SET lease_until = TIMESTAMPADD(SECOND, :#${properties:factory.lease-s}, CURRENT_TIMESTAMP(3)),
       updated_at = CURRENT_TIMESTAMP(3)
 WHERE id = :#${variable.requestId}
   AND status = 'PUBLISHED'
   AND (lease_until < CURRENT_TIMESTAMP(3) OR (lease_until IS NULL AND claim_by < CURRENT_TIMESTAMP(3)))
   AND republishes >= :#${properties:restock.republish-attempts}
