WITH latest_patch AS (
    SELECT DISTINCT ON (account_id) account_id, patch, changed_at
    FROM settings_changes
    ORDER BY account_id, changed_at DESC, id DESC
),
change_counts AS (
    SELECT account_id, count(*) AS changes
    FROM settings_changes
    GROUP BY account_id
)
SELECT
    coalesce(s.account_id, lp.account_id) AS account_id,
    jsonb_strip_nulls(coalesce(s.settings, '{}') || coalesce(lp.patch, '{}')) AS settings,
    coalesce(s.version, 0) + coalesce(cc.changes, 0)::integer AS version,
    coalesce(lp.changed_at, s.updated_at) AS updated_at
FROM account_settings AS s
FULL JOIN latest_patch AS lp ON lp.account_id = s.account_id
LEFT JOIN change_counts AS cc ON cc.account_id = lp.account_id
ORDER BY account_id;
