WITH queue AS (
    SELECT
        r.show_id,
        r.id AS request_id,
        r.party_size,
        s.capacity,
        ROW_NUMBER() OVER (PARTITION BY r.show_id ORDER BY r.requested_at, r.id) AS queue_position,
        SUM(r.party_size) OVER (PARTITION BY r.show_id ORDER BY r.requested_at) - r.party_size
            AS seats_before
    FROM booking_requests AS r
    JOIN shows AS s ON s.id = r.show_id
    WHERE r.cancelled_at IS NULL
)
SELECT
    show_id,
    queue_position,
    request_id,
    party_size,
    seats_before,
    CASE WHEN seats_before + party_size <= capacity THEN 'confirmed' ELSE 'waitlisted' END AS status
FROM queue
ORDER BY show_id, queue_position;
