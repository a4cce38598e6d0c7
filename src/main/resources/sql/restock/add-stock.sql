-- The quantity is taken from the stored request, never from the callback body.
UPDATE products
   SET stock = stock + (SELECT quantity FROM restock_requests WHERE id = :#${header.request}),
       updated_at = CURRENT_TIMESTAMP(3)
 WHERE sku = (SELECT sku FROM restock_requests WHERE id = :#${header.request})
