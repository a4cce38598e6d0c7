INSERT INTO products (sku, name, price, stock, factory_id, restock_quantity, reorder_point)
VALUES (:#${header.sku}, :#${body.name}, :#${body.price}, :#${body.stock}, :#${body.factoryId}, :#${body.restockQuantity}, :#${body.reorderPoint})
