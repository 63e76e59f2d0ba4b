-- Case and surrounding spaces, several NULL and blank addresses, a contact whose newest row
-- has the lowest id.
INSERT INTO contacts (id, email, full_name, source, updated_at) VALUES
    (1, 'Dana@Shop.example', 'Dana Ito', 'web', '2024-01-01 08:00:00'),
    (2, '  dana@shop.example', 'Dana Ito', 'import', '2023-06-01 08:00:00'),
    (3, 'DANA@SHOP.EXAMPLE  ', 'Dana Ito-Kahn', 'sales', '2024-05-05 08:00:00'),
    (4, NULL, 'Unknown A', 'event', '2024-01-01 08:00:00'),
    (5, NULL, 'Unknown B', 'event', '2024-01-02 08:00:00'),
    (6, '', 'Blank A', 'import', '2024-01-03 08:00:00'),
    (7, '   ', 'Blank B', 'import', '2024-01-04 08:00:00'),
    (8, 'eli@mail.example', 'Eli Roth', 'web', '2024-04-04 08:00:00'),
    (9, 'Eli@Mail.Example', 'Eli Roth', 'web', '2022-04-04 08:00:00'),
    (10, 'fay@mail.example', 'Fay Ng', 'sales', '2021-01-01 00:00:00'),
    (11, NULL, 'Unknown C', 'web', '2025-01-01 00:00:00'),
    (12, 'gus@mail.example', 'Gus Ma', 'event', '2024-02-02 02:02:02');
