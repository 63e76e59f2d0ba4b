-- Users active many times in the same month: each counts once.
INSERT INTO users (id, email, signed_up_at) VALUES
    (1, 'p@busy.example', '2024-09-02 09:00:00'),
    (2, 'q@busy.example', '2024-09-09 09:00:00'),
    (3, 'r@busy.example', '2024-09-16 09:00:00');

INSERT INTO events (id, user_id, kind, occurred_at)
SELECT
    n,
    1 + n % 2,
    CASE WHEN n % 3 = 0 THEN 'login' WHEN n % 3 = 1 THEN 'assessment_created' ELSE 'invite_sent' END,
    timestamp '2024-09-16 10:00:00' + (n * 7) * interval '1 hour'
FROM generate_series(1, 300) AS n;

INSERT INTO events (id, user_id, kind, occurred_at) VALUES
    (1001, 3, 'login', '2024-09-16 09:30:00'),
    (1002, 3, 'login', '2024-09-16 09:40:00');
