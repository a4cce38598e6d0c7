-- A PUBLISHED request that no factory consumer has taken by claim_by lost its message: it is
-- published again (republishes counts how often), up to RESTOCK_REPUBLISH_ATTEMPTS times, then
-- dead-lettered. Set each time the request is published, RESTOCK_PUBLISH_DEADLINE_S ahead.
ALTER TABLE restock_requests ADD COLUMN claim_by TIMESTAMP(3) NULL;
ALTER TABLE restock_requests ADD COLUMN republishes INT NOT NULL DEFAULT 0;

-- How often the request was sent again after it FAILED (the retry endpoint, or its dead letter
-- moved back to the stock queue). Each failure in between is mailed to ops once.
ALTER TABLE restock_requests ADD COLUMN retries INT NOT NULL DEFAULT 0;
