-- One conditional statement per product (docs/design.md, rule 1): even with the row locked,
-- the stock is taken only where it covers what the batch sold, and the update counts say so.
-- Run as a JDBC batch, one row of named parameters per product: sku, quantity.
UPDATE products
   SET stock = stock - :#quantity, updated_at = CURRENT_TIMESTAMP(3)
 WHERE sku = :#sku AND stock >= :#quantity
