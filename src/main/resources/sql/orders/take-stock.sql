-- One conditional statement (README, Rules: no oversell): the update count says whether the
-- sale happened. The body is a Batch.StockTake: the whole batch's quantity, or one order's.
UPDATE products
   SET stock = stock - :#${body.quantity}, updated_at = CURRENT_TIMESTAMP(3)
 WHERE sku = :#${body.sku} AND stock >= :#${body.quantity}
