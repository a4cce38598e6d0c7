INSERT INTO stock_movements (sku, delta, reason, reference)
SELECT sku, quantity, 'RESTOCK', id
  FROM restock_requests
 WHERE id = :#${header.request}
