-- Removing a key that is absent, removing then re-adding, adding then removing, a new account
-- whose every key is removed again, and empty patches (still a change).
INSERT INTO account_settings (account_id, settings, version, updated_at) VALUES
    (1, '{"a": 1, "b": 2, "c": 3}', 1, '2024-01-01 00:00:00'),
    (2, '{"locale": "it-IT"}', 4, '2024-01-02 00:00:00'),
    (3, '{"theme": "dark"}', 9, '2024-01-03 00:00:00');

INSERT INTO settings_changes (id, account_id, patch, changed_at) VALUES
    (1, 1, '{"a": null, "zz": null}', '2024-05-01 08:00:00'),
    (2, 1, '{"b": null}', '2024-05-01 09:00:00'),
    (3, 1, '{"b": 20}', '2024-05-01 10:00:00'),
    (4, 1, '{"d": 4}', '2024-05-01 11:00:00'),
    (5, 1, '{"d": null}', '2024-05-01 12:00:00'),
    (6, 2, '{}', '2024-05-02 08:00:00'),
    (7, 5, '{"x": true}', '2024-05-03 08:00:00'),
    (8, 5, '{"x": null}', '2024-05-03 09:00:00'),
    (9, 6, '{}', '2024-05-04 08:00:00'),
    (10, 3, '{"theme": null}', '2024-05-05 08:00:00');
