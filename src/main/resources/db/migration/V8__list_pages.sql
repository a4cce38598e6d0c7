-- GET /api/restock-requests reads its pages newest first (sql/restock/list.sql, list-after.sql):
-- this index serves that order and the position a cursor names without sorting the table.
CREATE INDEX ix_restock_requests_newest ON restock_requests (created_at, id);
