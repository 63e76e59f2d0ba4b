WITH keyed AS (
    SELECT id, NULLIF(btrim(email), '') AS raw_key, full_name, source, updated_at
    FROM contacts
),
survivors AS (
    SELECT DISTINCT ON (raw_key) id, lower(raw_key) AS email_key, full_name, source, updated_at
    FROM keyed
    WHERE raw_key IS NOT NULL
    ORDER BY raw_key, updated_at DESC, id DESC
)
SELECT id, email_key, full_name, source, updated_at FROM survivors
UNION ALL
SELECT id, raw_key, full_name, source, updated_at FROM keyed WHERE raw_key IS NULL
ORDER BY id;
