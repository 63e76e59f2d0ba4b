-- Gaps of exactly 1800 seconds (same session) and 1801 seconds (new session), across midnight
-- and a month end; single-view sessions.
INSERT INTO page_views (id, user_id, viewed_at, path) VALUES
    (1, 1, '2024-01-31 23:45:00', '/a'),
    (2, 1, '2024-02-01 00:15:00', '/b'),      -- +1800 s: same session
    (3, 1, '2024-02-01 00:45:01', '/c'),      -- +1801 s: new session
    (4, 1, '2024-02-01 01:15:01', '/d'),      -- +1800 s: same session
    (5, 2, '2024-02-01 00:00:00', '/x'),
    (6, 2, '2024-02-01 00:30:01', '/y'),      -- +1801 s: new session
    (7, 2, '2024-02-01 01:00:01', '/z'),      -- +1800 s
    (8, 3, '2024-02-29 12:00:00', '/only'),
    (9, 4, '2024-03-01 08:00:00', '/one'),
    (10, 4, '2024-03-01 08:29:59', '/two'),
    (11, 4, '2024-03-01 08:59:59', '/three'),
    (12, 4, '2024-03-01 09:30:00', '/four');   -- +1801 s: new session
