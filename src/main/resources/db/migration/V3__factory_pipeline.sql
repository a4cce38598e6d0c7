-- The factory step holds a lease on a request while it orders, so a second delivery of the
-- same SQS message (visibility timeout, duplicate publish) does not order twice; a lease that
-- outlives a crash expires before the message comes back.
ALTER TABLE restock_requests ADD COLUMN lease_until TIMESTAMP(3) NULL;

-- Camel's JDBC idempotent repository: one row per dead letter that has been emailed to ops.
CREATE TABLE CAMEL_MESSAGEPROCESSED (
    processorName    VARCHAR(255)  NOT NULL,
    messageId        VARCHAR(100)  NOT NULL,
    createdAt        TIMESTAMP(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    PRIMARY KEY (processorName, messageId)
);
