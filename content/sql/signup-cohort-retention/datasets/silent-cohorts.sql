-- A cohort nobody comes back to, a cohort whose only events are email opens, a month without
-- signups (no rows), and a user with no events at all.
INSERT INTO users (id, email, signed_up_at) VALUES
    (1, 'a@quiet.example', '2024-03-03 10:00:00'),
    (2, 'b@quiet.example', '2024-03-04 10:00:00'),
    (3, 'c@quiet.example', '2024-05-05 10:00:00'),
    (4, 'd@quiet.example', '2024-05-06 10:00:00'),
    (5, 'e@quiet.example', '2024-05-07 10:00:00'),
    (6, 'f@quiet.example', '2024-07-01 00:00:00');

INSERT INTO events (id, user_id, kind, occurred_at) VALUES
    (1, 1, 'login', '2024-03-03 10:01:00'),
    (2, 2, 'login', '2024-03-05 10:00:00'),
    (3, 3, 'email_open', '2024-05-06 10:00:00'),
    (4, 4, 'email_open', '2024-06-06 10:00:00'),
    (5, 5, 'email_open', '2024-07-07 10:00:00'),
    (6, 6, 'login', '2024-08-31 23:59:59');
