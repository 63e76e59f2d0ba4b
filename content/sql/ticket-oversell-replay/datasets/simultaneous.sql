-- Requests logged in the same microsecond: the queue breaks the tie by id, and the id order
-- differs from the insertion order.
INSERT INTO shows (id, title, starts_at, capacity) VALUES
    (1, 'Macbeth', '2024-10-01 19:30:00', 8),
    (2, 'Uncle Vanya', '2024-10-02 19:30:00', 5),
    (3, 'Arcadia', '2024-10-03 19:30:00', 4);

INSERT INTO booking_requests (id, show_id, party_size, requested_at, cancelled_at) VALUES
    (14, 1, 3, '2024-09-01 10:00:00.000001', NULL),
    (11, 1, 4, '2024-09-01 10:00:00.000001', NULL),
    (12, 1, 2, '2024-09-01 10:00:00.000001', NULL),
    (10, 1, 1, '2024-09-01 09:59:59.999999', NULL),
    (20, 2, 3, '2024-09-02 08:00:00.000000', NULL),
    (21, 2, 3, '2024-09-02 08:00:00.000000', NULL),
    (22, 2, 1, '2024-09-02 08:00:00.000002', NULL),
    (31, 3, 2, '2024-09-03 12:00:00.000000', NULL),
    (30, 3, 2, '2024-09-03 12:00:00.000000', NULL),
    (32, 3, 1, '2024-09-03 12:00:00.000000', NULL);
