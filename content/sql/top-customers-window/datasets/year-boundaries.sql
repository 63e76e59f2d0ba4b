INSERT INTO customers (id, name, region) VALUES
    (1, 'New Year Eve Ltd', 'EMEA'),
    (2, 'First Second GmbH', 'EMEA'),
    (3, 'Last Second SA', 'EMEA'),
    (4, 'December Co', 'EMEA'),
    (5, 'Refunded Only Inc', 'AMER'),
    (6, 'Steady LLC', 'AMER');

INSERT INTO orders (id, customer_id, ordered_at, status, amount_cents) VALUES
    (1, 1, '2023-12-31 23:59:59', 'completed', 900000),  -- 2023: does not count
    (2, 1, '2024-06-01 12:00:00', 'completed', 1000),
    (3, 2, '2024-01-01 00:00:00', 'completed', 30000),   -- first second of 2024
    (4, 3, '2024-12-31 23:59:59', 'completed', 40000),   -- last second of 2024
    (5, 4, '2024-12-31 08:30:00', 'completed', 35000),   -- 31 December counts
    (6, 4, '2025-01-01 00:00:00', 'completed', 700000),  -- 2025: does not count
    (7, 5, '2024-05-05 05:05:05', 'refunded', 120000),
    (8, 6, '2024-05-06 06:06:06', 'completed', 12345),
    (9, 6, '2024-05-07 07:07:07', 'completed', 1);
