-- The current stock, locked until the admin change commits.
SELECT stock FROM products WHERE sku = :#${body.sku} FOR UPDATE
