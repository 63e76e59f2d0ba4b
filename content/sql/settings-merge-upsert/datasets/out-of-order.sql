-- Ids were allocated in blocks by several API nodes, so they do not follow changed_at; two
-- changes share a changed_at (the higher id wins).
INSERT INTO account_settings (account_id, settings, version, updated_at) VALUES
    (10, '{"theme": "light", "locale": "en-GB"}', 2, '2024-01-01 00:00:00'),
    (11, '{"theme": "light"}', 5, '2024-01-01 00:00:00');

INSERT INTO settings_changes (id, account_id, patch, changed_at) VALUES
    (9001, 10, '{"theme": "dark"}', '2024-02-01 10:00:00'),
    (5002, 10, '{"theme": "contrast", "locale": "en-IE"}', '2024-02-01 11:00:00'),
    (9003, 10, '{"locale": "ga-IE"}', '2024-02-01 10:30:00'),
    (7001, 11, '{"theme": "dark"}', '2024-03-01 12:00:00.5'),
    (7004, 11, '{"theme": "sepia"}', '2024-03-01 12:00:00.5'),
    (7002, 11, '{"theme": "blue"}', '2024-03-01 12:00:00.5'),
    (1500, 12, '{"digest": "daily"}', '2024-03-02 08:00:00'),
    (1499, 12, '{"digest": "never"}', '2024-03-02 08:00:00');
