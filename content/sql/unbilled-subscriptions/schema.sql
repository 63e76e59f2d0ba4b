CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE subscriptions (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    plan TEXT NOT NULL,
    monthly_cents INTEGER NOT NULL CHECK (monthly_cents >= 0),
    started_on TEXT NOT NULL,        -- 'YYYY-MM-DD', first day of service
    ended_on TEXT                    -- 'YYYY-MM-DD', last day of service; NULL while it runs
);

CREATE TABLE invoices (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    subscription_id INTEGER REFERENCES subscriptions (id),  -- NULL for one-off charges
    period TEXT NOT NULL,            -- 'YYYY-MM', the month billed
    status TEXT NOT NULL CHECK (status IN ('draft', 'open', 'paid', 'void')),
    amount_cents INTEGER NOT NULL
);

CREATE INDEX invoices_subscription_period_idx ON invoices (subscription_id, period);
