SELECT r.sku, r.quantity, p.stock
  FROM restock_requests r
  JOIN products p ON p.sku = r.sku
 WHERE r.id = :#${header.request}
