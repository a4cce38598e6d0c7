-- Run while the product row is locked, before the new stock is written.
INSERT INTO stock_movements (sku, delta, reason, reference)
SELECT sku, :#${body.stock} - stock, 'ADJUSTMENT', 'admin'
  FROM products
 WHERE sku = :#${header.sku} AND stock <> :#${body.stock}
