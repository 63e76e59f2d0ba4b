INSERT INTO page_views (id, user_id, viewed_at, path) VALUES
    (1, 7, '2024-05-02 09:00:00', '/dashboard'),
    (2, 7, '2024-05-02 09:04:10', '/assessments'),
    (3, 7, '2024-05-02 09:20:00', '/assessments/42'),
    (4, 7, '2024-05-02 11:02:00', '/dashboard'),
    (5, 9, '2024-05-02 09:10:00', '/candidates'),
    (6, NULL, '2024-05-02 09:11:00', '/pricing'),
    (7, 9, '2024-05-02 09:15:30', '/candidates/3'),
    (8, 7, '2024-05-02 11:05:00', '/reports');
