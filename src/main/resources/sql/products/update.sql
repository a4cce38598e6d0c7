UPDATE products
   SET name = :#${body.name}, price = :#${body.price}, stock = :#${body.stock}, factory_id = :#${body.factoryId},
       restock_quantity = :#${body.restockQuantity}, reorder_point = :#${body.reorderPoint}, updated_at = CURRENT_TIMESTAMP(3)
 WHERE sku = :#${header.sku}
