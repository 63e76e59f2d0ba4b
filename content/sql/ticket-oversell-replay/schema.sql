CREATE TABLE shows (
    id integer PRIMARY KEY,
    title text NOT NULL,
    starts_at timestamp NOT NULL,
    capacity integer NOT NULL CHECK (capacity >= 0)
);

CREATE TABLE booking_requests (
    id integer PRIMARY KEY,
    show_id integer NOT NULL REFERENCES shows (id),
    party_size integer NOT NULL CHECK (party_size > 0),
    requested_at timestamp NOT NULL,
    cancelled_at timestamp          -- NULL unless the customer withdrew the request
);

CREATE INDEX booking_requests_queue_idx ON booking_requests (show_id, requested_at, id);
