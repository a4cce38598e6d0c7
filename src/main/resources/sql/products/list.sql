-- The first page of the catalogue; list-after.sql the pages after it (api/ListPages).
SELECT p.sku, p.name, p.price, p.stock, p.factory_id AS factoryId,
       p.restock_quantity AS restockQuantity, p.reorder_point AS reorderPoint,
       CASE WHEN r.id IS NULL THEN FALSE ELSE TRUE END AS restockPending
  FROM products p
  LEFT JOIN restock_requests r ON r.open_sku = p.sku
 ORDER BY p.sku
 LIMIT :#${header.rows}
