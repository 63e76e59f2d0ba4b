-- Void and draft invoices do not bill; a duplicate paid invoice bills once; a customer with one
-- billed and one unbilled subscription; two customers with the same name; a one-off charge.
INSERT INTO customers (id, name) VALUES
    (1, 'Kestrel Talent'),
    (2, 'Lumen Hiring'),
    (3, 'Lumen Hiring'),
    (4, 'Meridian HR');

INSERT INTO subscriptions (id, customer_id, plan, monthly_cents, started_on, ended_on) VALUES
    (40, 1, 'team', 49900, '2024-01-01', NULL),
    (41, 1, 'sso-addon', 5000, '2024-01-01', NULL),
    (42, 2, 'starter', 9900, '2024-01-01', NULL),
    (43, 3, 'starter', 9900, '2024-01-01', NULL),
    (44, 4, 'team', 49900, '2024-01-01', NULL),
    (45, 4, 'starter', 9900, '2024-02-01', NULL);

INSERT INTO invoices (id, customer_id, subscription_id, period, status, amount_cents) VALUES
    (400, 1, 40, '2024-05', 'paid', 49900),
    (401, 1, 40, '2024-05', 'paid', 49900),     -- duplicate: still billed once
    (402, 1, 41, '2024-05', 'void', 5000),      -- voided: not billed
    (403, 2, 42, '2024-05', 'draft', 9900),     -- never sent: not billed
    (404, 3, 43, '2024-04', 'paid', 9900),
    (405, 3, 43, '2024-06', 'open', 9900),
    (406, 4, 44, '2024-05', 'void', 49900),
    (407, 4, 44, '2024-05', 'open', 49900),     -- re-issued after the void: billed
    (408, 4, 45, '2024-05', 'void', 9900),
    (409, 4, 45, '2024-04', 'paid', 9900),
    (410, 2, NULL, '2024-05', 'paid', 12000);    -- one-off charge
