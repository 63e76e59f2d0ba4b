-- Subscriptions that start or end on the first and last day of May (billable), end the day
-- before May or start the day after (not billable), and open-ended ones.
INSERT INTO customers (id, name) VALUES
    (1, 'Granite Hiring'),
    (2, 'Harbour Careers'),
    (3, 'Iris Recruitment'),
    (4, 'Juniper Works');

INSERT INTO subscriptions (id, customer_id, plan, monthly_cents, started_on, ended_on) VALUES
    (30, 1, 'team', 49900, '2024-05-31', NULL),            -- starts on the last day: billable
    (31, 1, 'starter', 9900, '2023-01-01', '2024-05-01'),  -- ends on the first day: billable
    (32, 2, 'team', 49900, '2023-06-01', '2024-04-30'),    -- ended before May
    (33, 2, 'team', 49900, '2024-06-01', NULL),            -- starts after May
    (34, 3, 'enterprise', 250000, '2022-01-01', NULL),     -- open-ended: billable
    (35, 3, 'starter', 9900, '2024-05-10', '2024-05-20'),  -- inside May: billable
    (36, 4, 'team', 49900, '2024-04-01', '2024-05-31');    -- ends on the last day: billable

INSERT INTO invoices (id, customer_id, subscription_id, period, status, amount_cents) VALUES
    (300, 3, 35, '2024-05', 'paid', 3500),
    (301, 4, 36, '2024-04', 'paid', 49900);
