-- 400 customers in 5 regions and 30,000 orders, generated deterministically.
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
INSERT INTO customers (id, name, region)
SELECT i, printf('Customer %03d', i),
       CASE i % 5 WHEN 0 THEN 'AMER' WHEN 1 THEN 'APAC' WHEN 2 THEN 'EMEA'
                  WHEN 3 THEN 'LATAM' ELSE 'MEA' END
FROM n;

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30000)
INSERT INTO orders (id, customer_id, ordered_at, status, amount_cents)
SELECT i,
       1 + (i * 7919) % 400,
       datetime('2023-10-01', printf('+%d minutes', (i * 104729) % 700000)),
       CASE WHEN i % 11 = 0 THEN 'cancelled' WHEN i % 13 = 0 THEN 'refunded' ELSE 'completed' END,
       (i * 31337) % 100000
FROM n;
