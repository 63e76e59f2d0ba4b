-- Rows of one address sharing the latest updated_at: the highest id survives. Ids are not in
-- timestamp order.
INSERT INTO contacts (id, email, full_name, source, updated_at) VALUES
    (21, 'hal@corp.example', 'Hal One', 'web', '2024-06-01 12:00:00'),
    (25, 'HAL@corp.example', 'Hal Two', 'sales', '2024-06-01 12:00:00'),
    (23, 'hal@corp.example ', 'Hal Three', 'import', '2024-05-31 12:00:00'),
    (30, 'ivy@corp.example', 'Ivy Old', 'import', '2024-01-01 00:00:00'),
    (31, 'ivy@corp.example', 'Ivy Old', 'import', '2024-01-01 00:00:00'),
    (32, 'Ivy@corp.example', 'Ivy Older', 'import', '2023-12-31 23:59:59'),
    (40, 'jo@corp.example', 'Jo Late', 'web', '2024-07-07 07:07:07'),
    (41, 'jo@corp.example', 'Jo Early', 'web', '2024-07-07 07:07:06'),
    (50, NULL, 'No Mail', 'event', '2024-06-01 12:00:00'),
    (51, NULL, 'No Mail', 'event', '2024-06-01 12:00:00');
