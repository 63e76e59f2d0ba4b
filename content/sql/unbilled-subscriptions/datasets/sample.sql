INSERT INTO customers (id, name) VALUES
    (1, 'Acme Recruiting'),
    (2, 'Brightside Talent'),
    (3, 'Copperleaf HR');

INSERT INTO subscriptions (id, customer_id, plan, monthly_cents, started_on, ended_on) VALUES
    (10, 1, 'team', 49900, '2023-09-01', NULL),
    (11, 2, 'starter', 9900, '2024-02-15', NULL),
    (12, 2, 'assessments-addon', 2900, '2024-03-01', '2024-04-30'),
    (13, 3, 'enterprise', 250000, '2024-01-01', NULL);

INSERT INTO invoices (id, customer_id, subscription_id, period, status, amount_cents) VALUES
    (100, 1, 10, '2024-04', 'paid', 49900),
    (101, 1, 10, '2024-05', 'paid', 49900),
    (102, 2, 11, '2024-04', 'paid', 9900),
    (103, 2, 12, '2024-04', 'paid', 2900),
    (104, 3, 13, '2024-05', 'draft', 250000);
