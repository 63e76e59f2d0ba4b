-- Users whose views interleave in time, a user whose first view comes minutes after another
-- user's last one, anonymous views in between, and rows inserted out of time order.
INSERT INTO page_views (id, user_id, viewed_at, path) VALUES
    (20, 5, '2024-06-01 10:40:00', '/late'),
    (21, 6, '2024-06-01 10:05:00', '/six-a'),
    (22, 5, '2024-06-01 10:00:00', '/early'),
    (23, NULL, '2024-06-01 10:06:00', '/pricing'),
    (24, 6, '2024-06-01 10:20:00', '/six-b'),
    (25, NULL, '2024-06-01 10:07:00', '/signup'),
    (26, 5, '2024-06-01 10:10:00', '/mid'),
    (27, 8, '2024-06-01 10:21:00', '/eight'),
    (28, NULL, '2024-06-01 13:00:00', '/blog'),
    (29, 6, '2024-06-01 12:00:00', '/six-c'),
    (30, 8, '2024-06-01 10:50:00', '/eight-b'),
    (31, 8, '2024-06-01 11:25:00', '/eight-c');
