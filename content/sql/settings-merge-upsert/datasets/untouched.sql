-- Most accounts have no staged change; values are nested objects and arrays (replaced whole).
INSERT INTO account_settings (account_id, settings, version, updated_at) VALUES
    (1, '{"notify": {"email": true, "sms": false}, "tags": ["a", "b"]}', 3, '2024-02-02 02:02:02'),
    (2, '{}', 1, '2024-02-03 00:00:00'),
    (3, '{"notify": {"email": false}}', 2, '2024-02-04 00:00:00'),
    (4, '{"quota": 10}', 12, '2024-02-05 00:00:00');

INSERT INTO settings_changes (id, account_id, patch, changed_at) VALUES
    (1, 1, '{"notify": {"sms": true}}', '2024-06-06 06:06:06'),
    (2, 4, '{"quota": 25, "tags": []}', '2024-06-07 07:07:07');
