SELECT id AS orderId, sku, quantity, remaining_stock AS remainingStock
  FROM orders
 WHERE idempotency_key = :#${body.idempotencyKey}
