-- DESIGN rule 1: one conditional statement; the update count says whether the sale happened.
UPDATE products
   SET stock = stock - :#quantity, updated_at = CURRENT_TIMESTAMP(3)
 WHERE sku = :#sku AND stock >= :#quantity
