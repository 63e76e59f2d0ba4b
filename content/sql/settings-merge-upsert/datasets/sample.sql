INSERT INTO account_settings (account_id, settings, version, updated_at) VALUES
    (1, '{"locale": "en-GB", "theme": "light", "digest": "weekly"}', 3, '2024-05-01 10:00:00'),
    (2, '{"locale": "de-DE", "timezone": "Europe/Berlin"}', 1, '2024-04-20 08:00:00'),
    (3, '{"locale": "fr-FR"}', 7, '2024-03-03 03:03:03');

INSERT INTO settings_changes (id, account_id, patch, changed_at) VALUES
    (1, 1, '{"theme": "dark"}', '2024-06-01 09:00:00'),
    (2, 1, '{"digest": null, "reminders": true}', '2024-06-01 09:05:00'),
    (3, 2, '{"locale": "en-US"}', '2024-06-02 12:00:00'),
    (4, 4, '{"locale": "es-ES", "theme": "dark"}', '2024-06-03 15:00:00'),
    (5, 1, '{"theme": "system"}', '2024-06-01 10:00:00');
