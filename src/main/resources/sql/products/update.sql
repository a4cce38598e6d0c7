UPDATE products
   SET name = :#name, price = :#price, stock = :#stock, factory_id = :#factoryId,
       restock_quantity = :#restockQuantity, reorder_point = :#reorderPoint, updated_at = CURRENT_TIMESTAMP(3)
 WHERE sku = :#sku
