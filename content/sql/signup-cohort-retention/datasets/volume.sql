-- 3,000 users over 18 months and 60,000 events, generated deterministically.
INSERT INTO users (id, email, signed_up_at)
SELECT i, 'user' || i || '@load.example',
       timestamp '2023-01-01 00:00:00' + ((i::bigint * 7919) % 47000) * interval '15 minutes'
FROM generate_series(1, 3000) AS i;

INSERT INTO events (id, user_id, kind, occurred_at)
SELECT
    n,
    1 + (n::bigint * n * 7 + n) % 3000,
    (ARRAY['login', 'assessment_created', 'invite_sent', 'email_open'])[1 + n % 4],
    timestamp '2023-01-01 00:00:00' + ((n::bigint * 104729) % 60000) * interval '15 minutes'
FROM generate_series(1, 60000) AS n;
ANALYZE users;
ANALYZE events;
