-- The factory answered the call with an error, or was never reached: it did not take this
-- order, so the call no longer counts as one it may have taken. (attempts still counts it.)
UPDATE restock_requests
   SET calls_under_lease = calls_under_lease - 1, updated_at = CURRENT_TIMESTAMP(3)
 WHERE id = :#${variable.requestId} AND calls_under_lease > 0
