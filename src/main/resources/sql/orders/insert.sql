INSERT INTO orders (id, idempotency_key, sku, quantity, remaining_stock)
VALUES (:#orderId, :#idempotencyKey, :#sku, :#quantity, :#remainingStock)
