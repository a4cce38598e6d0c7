SELECT status, COUNT(*) AS requests
  FROM restock_requests
 GROUP BY status
