-- The replica whose update applies publishes the request; others that read the same row skip it.
-- The claim holds the row for OUTBOX_CLAIM_S, longer than one SNS call may take: a replica that
-- dies after claiming leaves the row to be published again after it (at least once, on failure).
UPDATE restock_requests
   SET next_publish_at = TIMESTAMPADD(SECOND, :#${properties:outbox.claim-s}, CURRENT_TIMESTAMP(3)),
       updated_at = CURRENT_TIMESTAMP(3)
 WHERE id = :#${body.id}
   AND status = 'REQUESTED'
   AND (next_publish_at IS NULL OR next_publish_at <= CURRENT_TIMESTAMP(3))
