INSERT INTO shows (id, title, starts_at, capacity) VALUES
    (1, 'Hamlet', '2024-09-06 19:30:00', 10),
    (2, 'The Seagull', '2024-09-07 19:30:00', 6);

INSERT INTO booking_requests (id, show_id, party_size, requested_at, cancelled_at) VALUES
    (1, 1, 4, '2024-08-01 09:00:00.120000', NULL),
    (2, 1, 3, '2024-08-01 09:00:01.500000', NULL),
    (3, 1, 2, '2024-08-01 09:02:10.000000', '2024-08-02 12:00:00'),
    (4, 1, 4, '2024-08-01 09:03:00.000000', NULL),
    (5, 1, 2, '2024-08-01 09:04:00.000000', NULL),
    (6, 2, 2, '2024-08-02 10:00:00.000000', NULL),
    (7, 2, 3, '2024-08-02 10:05:00.000000', NULL);
