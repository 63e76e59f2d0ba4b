-- Every billable subscription has its May invoice: the result is empty.
INSERT INTO customers (id, name) VALUES
    (1, 'Nimbus Search'),
    (2, 'Orchid Staffing');

INSERT INTO subscriptions (id, customer_id, plan, monthly_cents, started_on, ended_on) VALUES
    (50, 1, 'team', 49900, '2024-01-01', NULL),
    (51, 2, 'starter', 9900, '2024-01-01', '2024-05-15'),
    (52, 2, 'team', 49900, '2023-01-01', '2023-12-31');

INSERT INTO invoices (id, customer_id, subscription_id, period, status, amount_cents) VALUES
    (500, 1, 50, '2024-05', 'open', 49900),
    (501, 1, 50, '2024-04', 'void', 49900),
    (502, 2, 51, '2024-05', 'paid', 4800),
    (503, 2, NULL, '2024-05', 'paid', 700);
