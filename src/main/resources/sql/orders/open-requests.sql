-- Which of the batch's products (the body: their SKUs) already have their one open restock
-- request. Not a locking read: open-request.sql's unique key decides a race.
SELECT open_sku AS sku
  FROM restock_requests
 WHERE open_sku IN (:#in:${body})
