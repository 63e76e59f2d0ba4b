-- Parties that take exactly the last seats, a smaller party after a waitlisted one (no queue
-- jumping), and a first party larger than the whole show.
INSERT INTO shows (id, title, starts_at, capacity) VALUES
    (1, 'Cymbeline', '2024-12-01 19:00:00', 10),
    (2, 'Pericles', '2024-12-02 19:00:00', 7),
    (3, 'Coriolanus', '2024-12-03 19:00:00', 2),
    (4, 'Timon', '2024-12-04 19:00:00', 1);

INSERT INTO booking_requests (id, show_id, party_size, requested_at, cancelled_at) VALUES
    (1, 1, 6, '2024-11-01 10:00:00', NULL),
    (2, 1, 4, '2024-11-01 10:01:00', NULL),
    (3, 1, 1, '2024-11-01 10:02:00', NULL),
    (4, 2, 5, '2024-11-02 10:00:00', NULL),
    (5, 2, 3, '2024-11-02 10:01:00', NULL),
    (6, 2, 2, '2024-11-02 10:02:00', NULL),
    (7, 3, 3, '2024-11-03 10:00:00', NULL),
    (8, 3, 1, '2024-11-03 10:01:00', NULL),
    (9, 4, 1, '2024-11-04 10:00:00', NULL);
