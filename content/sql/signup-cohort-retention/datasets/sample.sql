INSERT INTO users (id, email, signed_up_at) VALUES
    (1, 'ana@hr.example', '2024-01-05 10:00:00'),
    (2, 'ben@hr.example', '2024-01-20 15:30:00'),
    (3, 'cai@hr.example', '2024-01-31 23:10:00'),
    (4, 'dee@hr.example', '2024-02-02 09:00:00'),
    (5, 'eva@hr.example', '2024-02-14 11:11:00');

INSERT INTO events (id, user_id, kind, occurred_at) VALUES
    (1, 1, 'login', '2024-01-05 10:05:00'),
    (2, 1, 'assessment_created', '2024-01-06 09:00:00'),
    (3, 1, 'login', '2024-02-10 08:00:00'),
    (4, 1, 'invite_sent', '2024-04-01 08:00:00'),
    (5, 2, 'login', '2024-01-20 15:31:00'),
    (6, 2, 'email_open', '2024-02-03 07:00:00'),
    (7, 3, 'login', '2024-02-01 00:20:00'),
    (8, 3, 'login', '2024-03-15 12:00:00'),
    (9, 4, 'login', '2024-02-02 09:01:00'),
    (10, 4, 'invite_sent', '2024-03-03 10:00:00'),
    (11, 4, 'login', '2024-03-04 10:00:00'),
    (12, 5, 'email_open', '2024-03-01 06:00:00');
