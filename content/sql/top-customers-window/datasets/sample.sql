INSERT INTO customers (id, name, region) VALUES
    (1, 'Acme Ltd', 'EMEA'),
    (2, 'Borealis AB', 'EMEA'),
    (3, 'Cobalt GmbH', 'EMEA'),
    (4, 'Dune Corp', 'AMER'),
    (5, 'Evergreen Inc', 'AMER');

INSERT INTO orders (id, customer_id, ordered_at, status, amount_cents) VALUES
    (1, 1, '2024-02-10 09:15:00', 'completed', 120000),
    (2, 1, '2024-05-01 12:00:00', 'completed', 30000),
    (3, 2, '2024-03-03 08:00:00', 'completed', 90000),
    (4, 2, '2024-03-04 08:00:00', 'cancelled', 500000),
    (5, 3, '2024-07-19 17:45:00', 'completed', 45000),
    (6, 4, '2024-01-15 10:00:00', 'completed', 200000),
    (7, 5, '2024-11-30 23:00:00', 'completed', 50000),
    (8, 5, '2023-11-30 23:00:00', 'completed', 999999);
