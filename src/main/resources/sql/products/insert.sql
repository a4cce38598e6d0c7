INSERT INTO products (sku, name, price, stock, factory_id, restock_quantity, reorder_point)
VALUES (:#sku, :#name, :#price, :#stock, :#factoryId, :#restockQuantity, :#reorderPoint)
