-- One-off charges (no subscription) billed in May: NOT IN over invoices.subscription_id
-- meets a NULL and returns nothing.
INSERT INTO customers (id, name) VALUES
    (1, 'Delta Staffing'),
    (2, 'Evergreen People'),
    (3, 'Foxglove Search');

INSERT INTO subscriptions (id, customer_id, plan, monthly_cents, started_on, ended_on) VALUES
    (20, 1, 'team', 49900, '2024-01-01', NULL),
    (21, 2, 'team', 49900, '2024-01-01', NULL),
    (22, 3, 'starter', 9900, '2024-03-10', NULL),
    (23, 3, 'sso-addon', 5000, '2024-03-10', NULL);

INSERT INTO invoices (id, customer_id, subscription_id, period, status, amount_cents) VALUES
    (200, 1, 20, '2024-05', 'paid', 49900),
    (201, 1, NULL, '2024-05', 'paid', 15000),      -- onboarding workshop
    (202, 2, NULL, '2024-05', 'open', 30000),      -- extra assessments pack
    (203, 3, 22, '2024-05', 'open', 9900),
    (204, 3, NULL, '2024-04', 'paid', 1000);
