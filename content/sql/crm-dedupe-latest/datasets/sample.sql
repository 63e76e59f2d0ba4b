INSERT INTO contacts (id, email, full_name, source, updated_at) VALUES
    (1, 'ann.lee@acme.io', 'Ann Lee', 'web', '2024-01-10 09:00:00'),
    (2, 'Ann.Lee@acme.io ', 'Ann Lee-Park', 'sales', '2024-03-02 14:30:00'),
    (3, 'bo@example.org', 'Bo Chen', 'import', '2023-11-20 08:00:00'),
    (4, NULL, 'Walk-in visitor', 'event', '2024-02-01 10:00:00'),
    (5, 'cy@example.org', 'Cy Diaz', 'web', '2024-02-15 16:45:00'),
    (6, 'BO@EXAMPLE.ORG', 'Bo Chen', 'event', '2023-10-01 12:00:00');
