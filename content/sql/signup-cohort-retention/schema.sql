CREATE TABLE users (
    id integer PRIMARY KEY,
    email text NOT NULL,
    signed_up_at timestamp NOT NULL
);

CREATE TABLE events (
    id bigint PRIMARY KEY,
    user_id integer NOT NULL REFERENCES users (id),
    kind text NOT NULL,              -- 'login' | 'assessment_created' | 'invite_sent' | 'email_open' | ...
    occurred_at timestamp NOT NULL
);

CREATE INDEX events_user_time_idx ON events (user_id, occurred_at);
