-- The seed's donut, sold by POST /checkout.
INSERT INTO products (sku, name, price, stock, factory_id, restock_quantity, reorder_point)
VALUES ('CP-502101', 'Classic glazed donut', 2.50, 10, 'factory_01', 10, 0);
