INSERT INTO stock_movements (sku, delta, reason, reference)
VALUES (:#sku, 0 - :#quantity, 'SALE', :#orderId)
