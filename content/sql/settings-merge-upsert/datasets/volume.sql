-- 600 accounts and 5,000 staged changes spread unevenly over account ids 1..900 (a few dozen new).
INSERT INTO account_settings (account_id, settings, version, updated_at)
SELECT i,
       jsonb_build_object('locale', 'l' || i % 7, 'theme', 't' || i % 3, 'k' || i % 11, i),
       1 + i % 5,
       timestamp '2024-01-01 00:00:00' + i * interval '1 minute'
FROM generate_series(1, 600) AS i;

INSERT INTO settings_changes (id, account_id, patch, changed_at)
SELECT n,
       1 + (n::bigint * n * 7 + n) % 900,
       CASE n % 4
           WHEN 0 THEN jsonb_build_object('theme', 't' || n % 5)
           WHEN 1 THEN jsonb_build_object('locale', NULL, 'k' || n % 11, n)
           WHEN 2 THEN jsonb_build_object('k' || n % 13, NULL)
           ELSE jsonb_build_object('locale', 'l' || n % 9, 'theme', NULL)
       END,
       timestamp '2024-06-01 00:00:00' + ((n::bigint * 104729) % 4000) * interval '1 second'
FROM generate_series(1, 5000) AS n;
ANALYZE account_settings;
ANALYZE settings_changes;
