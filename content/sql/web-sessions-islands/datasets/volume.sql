-- 500 users and 40,000 views over two days, generated deterministically.
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40000)
INSERT INTO page_views (id, user_id, viewed_at, path)
SELECT
    i,
    CASE WHEN i % 17 = 0 THEN NULL ELSE 1 + (i * i * 7 + i) % 500 END,
    datetime('2024-08-01 00:00:00', printf('+%d seconds', (i * 104729) % 172800)),
    printf('/page/%d', (i * 31) % 50)
FROM n;
