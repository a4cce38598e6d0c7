-- The current stock, locked until the admin change commits.
SELECT stock FROM products WHERE sku = :#${header.sku} FOR UPDATE
