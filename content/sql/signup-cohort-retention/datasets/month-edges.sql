-- Signups on the last day of a month, events in the last and first second of months, a cohort
-- crossing the year boundary, 29 February, and activity logged before the signup.
INSERT INTO users (id, email, signed_up_at) VALUES
    (1, 'u1@edge.example', '2023-11-30 23:59:59'),
    (2, 'u2@edge.example', '2023-11-01 00:00:00'),
    (3, 'u3@edge.example', '2023-12-31 22:00:00'),
    (4, 'u4@edge.example', '2023-12-15 12:00:00'),
    (5, 'u5@edge.example', '2024-01-31 08:00:00'),
    (6, 'u6@edge.example', '2024-01-10 08:00:00'),
    (7, 'u7@edge.example', '2024-01-20 08:00:00');

INSERT INTO events (id, user_id, kind, occurred_at) VALUES
    (1, 1, 'login', '2023-12-01 00:00:00'),          -- Nov cohort, offset 1 (1 second after signup)
    (2, 1, 'login', '2024-02-29 23:59:59'),          -- offset 3
    (3, 2, 'login', '2023-11-30 23:59:59'),          -- offset 0
    (4, 2, 'login', '2024-01-01 00:00:00'),          -- offset 2, across the new year
    (5, 2, 'login', '2024-03-01 00:00:00'),          -- offset 4: outside the report
    (6, 3, 'login', '2024-01-01 00:00:01'),          -- Dec cohort, offset 1
    (7, 3, 'invite_sent', '2024-03-31 23:59:59'),    -- offset 3
    (8, 4, 'login', '2023-12-01 09:00:00'),          -- before signup: ignored
    (9, 4, 'login', '2024-02-15 09:00:00'),          -- offset 2
    (10, 5, 'login', '2024-01-15 09:00:00'),         -- before signup (imported trial): ignored
    (11, 5, 'login', '2024-02-01 00:00:00'),         -- Jan cohort, offset 1
    (12, 5, 'login', '2024-02-29 12:00:00'),         -- offset 1 again
    (13, 6, 'assessment_created', '2024-01-31 23:59:59'), -- offset 0
    (14, 6, 'email_open', '2024-02-10 10:00:00'),    -- does not count
    (15, 6, 'login', '2024-04-30 23:59:59'),         -- offset 3
    (16, 7, 'login', '2024-01-19 08:00:00'),         -- the day before signup: ignored
    (17, 7, 'login', '2024-03-01 00:00:00');         -- offset 2
