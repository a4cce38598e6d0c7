-- A page of the catalogue after the SKU its cursor names: by key, so products added or changed
-- meanwhile neither repeat nor hide one of the pages that follow.
SELECT p.sku, p.name, p.price, p.stock, p.factory_id AS factoryId,
       p.restock_quantity AS restockQuantity, p.reorder_point AS reorderPoint,
       CASE WHEN r.id IS NULL THEN FALSE ELSE TRUE END AS restockPending
  FROM products p
  LEFT JOIN restock_requests r ON r.open_sku = p.sku
 WHERE p.sku > :#${header.after}
 ORDER BY p.sku
 LIMIT :#${header.rows}
