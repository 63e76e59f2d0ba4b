-- 300 shows and 20,000 requests, generated deterministically; many share a requested_at.
INSERT INTO shows (id, title, starts_at, capacity)
SELECT i, 'Show ' || i, timestamp '2025-01-01 19:30:00' + i * interval '1 day', (i * 37) % 120
FROM generate_series(1, 300) AS i;

INSERT INTO booking_requests (id, show_id, party_size, requested_at, cancelled_at)
SELECT
    i,
    1 + (i * 7919) % 300,
    1 + (i * 31) % 6,
    timestamp '2024-12-01 00:00:00' + ((i * 104729) % 5000) * interval '1 second',
    CASE WHEN i % 9 = 0 THEN timestamp '2024-12-20 00:00:00' END
FROM generate_series(1, 20000) AS i;
