-- One open restock request per product (docs/design.md, rule 4): the unique open_sku key lets only one
-- exist; a second concurrent stock-out finds it taken and inserts nothing.
INSERT IGNORE INTO restock_requests (id, sku, factory_id, quantity, status, traceparent)
SELECT :#${body.requestId}, sku, factory_id, restock_quantity, 'REQUESTED', :#${body.traceparent}
  FROM products
 WHERE sku = :#${body.sku}
