INSERT INTO stock_movements (sku, delta, reason, reference)
SELECT sku, stock, 'ADJUSTMENT', 'admin'
  FROM products
 WHERE sku = :#${header.sku} AND stock > 0
