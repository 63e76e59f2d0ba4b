-- EMEA: a tie for first place (ranks 1, 1, 3, 3): four customers qualify.
-- AMER: a tie at the third place boundary (ranks 1, 2, 3, 3, then 5).
INSERT INTO customers (id, name, region) VALUES
    (1, 'Aster', 'EMEA'),
    (2, 'Birch', 'EMEA'),
    (3, 'Cedar', 'EMEA'),
    (4, 'Dogwood', 'EMEA'),
    (5, 'Elm', 'EMEA'),
    (6, 'Fir', 'AMER'),
    (7, 'Ginkgo', 'AMER'),
    (8, 'Hazel', 'AMER'),
    (9, 'Ivy', 'AMER'),
    (10, 'Juniper', 'AMER');

INSERT INTO orders (id, customer_id, ordered_at, status, amount_cents) VALUES
    (1, 2, '2024-03-01 10:00:00', 'completed', 40000),
    (2, 1, '2024-03-02 10:00:00', 'completed', 25000),
    (3, 1, '2024-03-03 10:00:00', 'completed', 15000),
    (4, 3, '2024-03-04 10:00:00', 'completed', 30000),
    (5, 4, '2024-03-05 10:00:00', 'completed', 30000),
    (6, 5, '2024-03-06 10:00:00', 'completed', 29999),
    (7, 6, '2024-04-01 10:00:00', 'completed', 90000),
    (8, 7, '2024-04-02 10:00:00', 'completed', 70000),
    (9, 9, '2024-04-03 10:00:00', 'completed', 50000),
    (10, 8, '2024-04-04 10:00:00', 'completed', 50000),
    (11, 10, '2024-04-05 10:00:00', 'completed', 10000),
    (12, 10, '2024-04-06 10:00:00', 'cancelled', 80000);
