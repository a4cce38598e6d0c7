-- Run while the product row is locked, before the new stock is written.
INSERT INTO stock_movements (sku, delta, reason, reference)
SELECT sku, :#stock - stock, 'ADJUSTMENT', 'admin'
  FROM products
 WHERE sku = :#sku AND stock <> :#stock
