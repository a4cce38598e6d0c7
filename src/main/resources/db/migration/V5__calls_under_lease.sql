-- How many factory calls were made under the current lease. A lease that expired with calls
-- made means the app stopped mid-order: the legacy factory may have taken it and cannot tell
-- us, so that request is dead-lettered for ops instead of being ordered a second time.
ALTER TABLE restock_requests ADD COLUMN calls_under_lease INT NOT NULL DEFAULT 0;
