-- The W3C traceparent of the order that opened the request (docs/operations.md, "Following one restock"): the
-- outbox publishes from the row outside that order's exchange, so its trace context is kept here
-- and travels on with every publish. NULL for requests opened before it was kept.
ALTER TABLE restock_requests ADD COLUMN traceparent VARCHAR(55) NULL;
