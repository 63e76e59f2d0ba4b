-- 80,000 contacts over about 30,000 addresses written in several spellings, with NULL and
-- blank emails and many equal timestamps; generated deterministically.
INSERT INTO contacts (id, email, full_name, source, updated_at)
SELECT
    i,
    CASE
        WHEN i % 97 = 0 THEN NULL
        WHEN i % 89 = 0 THEN '   '
        WHEN i % 7 IN (0, 1) THEN upper('user' || (i * 7919) % 30000 || '@example.com')
        WHEN i % 7 IN (2, 3) THEN ' user' || (i * 7919) % 30000 || '@example.com '
        ELSE 'user' || (i * 7919) % 30000 || '@Example.com'
    END,
    'Contact ' || i,
    (ARRAY['web', 'import', 'sales', 'event'])[1 + i % 4],
    timestamp '2023-01-01 00:00:00' + ((i::bigint * 104729) % 20000) * interval '1 hour'
FROM generate_series(1, 80000) AS i;
ANALYZE contacts;
