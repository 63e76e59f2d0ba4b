WITH latest_values AS (
    -- The last write to each (account, key) wins; a JSON null means "remove the key".
    SELECT DISTINCT ON (c.account_id, p.key) c.account_id, p.key, p.value
    FROM settings_changes AS c
    CROSS JOIN LATERAL jsonb_each(c.patch) AS p (key, value)
    ORDER BY c.account_id, p.key, c.id DESC
),
merged_patches AS (
    SELECT
        account_id,
        array_agg(key) AS touched_keys,
        coalesce(jsonb_object_agg(key, value) FILTER (WHERE value <> 'null'::jsonb), '{}')
            AS new_values
    FROM latest_values
    GROUP BY account_id
),
change_counts AS (
    SELECT account_id, count(*) AS changes, max(changed_at) AS last_changed_at
    FROM settings_changes
    GROUP BY account_id
)
SELECT
    coalesce(s.account_id, cc.account_id) AS account_id,
    (coalesce(s.settings, '{}') - coalesce(mp.touched_keys, '{}'))
        || coalesce(mp.new_values, '{}') AS settings,
    coalesce(s.version, 0) + coalesce(cc.changes, 0)::integer AS version,
    coalesce(cc.last_changed_at, s.updated_at) AS updated_at
FROM account_settings AS s
FULL JOIN change_counts AS cc ON cc.account_id = s.account_id
LEFT JOIN merged_patches AS mp ON mp.account_id = cc.account_id
ORDER BY account_id;
