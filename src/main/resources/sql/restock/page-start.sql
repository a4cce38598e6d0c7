-- Whether the request a restock-requests cursor names exists (a page starts after it).
SELECT COUNT(*) FROM restock_requests WHERE id = :#${header.after}
