CREATE TABLE account_settings (
    account_id integer PRIMARY KEY,
    settings jsonb NOT NULL CHECK (jsonb_typeof(settings) = 'object'),
    version integer NOT NULL CHECK (version >= 1),
    updated_at timestamp NOT NULL
);

-- Changes staged by the API since the last nightly merge; not yet applied.
CREATE TABLE settings_changes (
    id bigint PRIMARY KEY,
    account_id integer NOT NULL,
    patch jsonb NOT NULL CHECK (jsonb_typeof(patch) = 'object'),
    changed_at timestamp NOT NULL
);

CREATE INDEX settings_changes_account_idx ON settings_changes (account_id, changed_at, id);
