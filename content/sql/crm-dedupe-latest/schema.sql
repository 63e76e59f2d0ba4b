CREATE TABLE contacts (
    id integer PRIMARY KEY,
    email text,                      -- as typed: any case, stray spaces, NULL or blank
    full_name text NOT NULL,
    source text NOT NULL,            -- 'web' | 'import' | 'sales' | 'event'
    updated_at timestamp NOT NULL
);

CREATE INDEX contacts_email_idx ON contacts (email);
CREATE INDEX contacts_updated_at_idx ON contacts (updated_at);
