-- Several views in the same second (double-clicks, prefetch): they count, they belong to the
-- same session, and the landing path is the one with the lowest id. Paths are chosen so that
-- the alphabetically first path is not the landing path.
INSERT INTO page_views (id, user_id, viewed_at, path) VALUES
    (40, 11, '2024-07-01 08:00:00', '/search'),
    (41, 11, '2024-07-01 08:00:00', '/autocomplete'),
    (42, 11, '2024-07-01 08:00:00', '/search'),
    (43, 11, '2024-07-01 08:10:00', '/results'),
    (44, 11, '2024-07-01 09:00:00', '/welcome'),
    (45, 11, '2024-07-01 09:00:00', '/about'),
    (46, 12, '2024-07-01 08:00:00', '/zeta'),
    (47, 12, '2024-07-01 08:00:00', '/alpha'),
    (48, NULL, '2024-07-01 08:00:00', '/pricing'),
    (49, NULL, '2024-07-01 08:00:00', '/pricing');
