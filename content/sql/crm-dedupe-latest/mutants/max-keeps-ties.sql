WITH keyed AS (
    SELECT id, NULLIF(lower(btrim(email)), '') AS email_key, full_name, source, updated_at
    FROM contacts
),
latest AS (
    SELECT email_key, MAX(updated_at) AS updated_at
    FROM keyed
    WHERE email_key IS NOT NULL
    GROUP BY email_key
)
SELECT k.id, k.email_key, k.full_name, k.source, k.updated_at
FROM keyed AS k
JOIN latest AS l ON l.email_key = k.email_key AND l.updated_at = k.updated_at
UNION ALL
SELECT id, email_key, full_name, source, updated_at FROM keyed WHERE email_key IS NULL
ORDER BY id;
