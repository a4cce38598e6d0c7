-- The sweep's lease on an overdue delivery it dead-letters: one instance sends the dead letter;
-- if the send fails, the lease runs out and the next sweep tries again. The alert route marks the
-- request FAILED (and clears the lease) unless the delivery arrived in the meantime.
UPDATE restock_requests
   SET lease_until = TIMESTAMPADD(SECOND, :#${properties:factory.lease-s}, CURRENT_TIMESTAMP(3)),
       updated_at = CURRENT_TIMESTAMP(3)
 WHERE id = :#${variable.requestId}
   AND status = 'ORDERED'
   AND deliver_by < CURRENT_TIMESTAMP(3)
   AND (lease_until IS NULL OR lease_until < CURRENT_TIMESTAMP(3))
