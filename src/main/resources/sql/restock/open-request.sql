-- DESIGN rule 4: the unique open_sku key lets only one open request per product exist;
-- a second concurrent stock-out finds it taken and inserts nothing.
INSERT IGNORE INTO restock_requests (id, sku, factory_id, quantity, status)
SELECT :#requestId, sku, factory_id, restock_quantity, 'REQUESTED'
  FROM products
 WHERE sku = :#sku
