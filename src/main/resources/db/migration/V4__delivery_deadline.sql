-- An ORDERED request whose factory never calls back is dead-lettered (and ops alerted) once
-- this moment passes, rather than ordered again: the legacy factory cannot tell a repeat.
ALTER TABLE restock_requests ADD COLUMN deliver_by TIMESTAMP(3) NULL;
