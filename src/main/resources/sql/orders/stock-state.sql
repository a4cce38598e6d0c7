SELECT p.stock, p.reorder_point AS reorderPoint, r.id AS openRequestId
  FROM products p
  LEFT JOIN restock_requests r ON r.open_sku = p.sku
 WHERE p.sku = :#${variable.batch.sku}
