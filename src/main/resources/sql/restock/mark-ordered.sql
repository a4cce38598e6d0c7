-- The factory callback can overtake its own 201: a request already FULFILLED keeps that
-- status and only learns its job id.
UPDATE restock_requests
   SET status = CASE WHEN status IN ('REQUESTED', 'PUBLISHED') THEN 'ORDERED' ELSE status END,
       factory_job_id = :#${variable.factoryJobId},
       last_error = NULL,
       lease_until = NULL, calls_under_lease = 0,
       deliver_by = TIMESTAMPADD(SECOND, :#${properties:factory.delivery-deadline-s}, CURRENT_TIMESTAMP(3)),
       updated_at = CURRENT_TIMESTAMP(3)
 WHERE id = :#${variable.requestId}
