-- Withdrawn requests at the head and in the middle of queues; a show whose only request was
-- withdrawn; a show with no requests; a show of capacity 0.
INSERT INTO shows (id, title, starts_at, capacity) VALUES
    (1, 'Oedipus', '2024-11-01 19:00:00', 6),
    (2, 'Medea', '2024-11-02 19:00:00', 3),
    (3, 'Antigone', '2024-11-03 19:00:00', 40),
    (4, 'The Frogs', '2024-11-04 19:00:00', 0),
    (5, 'Lysistrata', '2024-11-05 19:00:00', 12);

INSERT INTO booking_requests (id, show_id, party_size, requested_at, cancelled_at) VALUES
    (1, 1, 5, '2024-10-01 08:00:00', '2024-10-01 09:00:00'),
    (2, 1, 4, '2024-10-01 08:10:00', NULL),
    (3, 1, 2, '2024-10-01 08:20:00', NULL),
    (4, 1, 3, '2024-10-01 08:25:00', '2024-10-03 09:00:00'),
    (5, 1, 1, '2024-10-01 08:30:00', NULL),
    (6, 2, 2, '2024-10-02 08:00:00', NULL),
    (7, 2, 2, '2024-10-02 08:01:00', '2024-10-02 08:02:00'),
    (8, 2, 1, '2024-10-02 08:03:00', NULL),
    (9, 3, 10, '2024-10-03 08:00:00', '2024-10-04 08:00:00'),
    (10, 4, 1, '2024-10-04 08:00:00', NULL),
    (11, 4, 2, '2024-10-04 08:05:00', NULL),
    (12, 2, 1, '2024-10-02 09:00:00', NULL);
