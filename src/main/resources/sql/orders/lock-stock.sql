-- The batch's products, locked until it commits, in SKU order: two batches that share products
-- (on this replica or another) wait for each other in line, never in a circle.
SELECT sku, stock, reorder_point AS reorderPoint
  FROM products
 WHERE sku IN (:#in:${variable.batch.skus})
 ORDER BY sku
   FOR UPDATE
