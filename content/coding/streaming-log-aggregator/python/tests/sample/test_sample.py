"""Sample tests: run them from the editor. The hidden tests check many more cases."""

from log_stats import EndpointStats, LogAggregator


def test_example_from_the_statement():
    agg = LogAggregator()
    agg.consume([
        "t GET /v1/candidates/1 200 12",
        "t GET /v1/candidates/2?full=1 503 240",
        "t GET /v1/candidates 200 80",
        "t POST /v1/candidates 201 99.5",
        "garbage",
    ])
    report = agg.report()
    assert report["GET /v1/candidates/{id}"] == EndpointStats(2, 1, 0.5, 250.0)
    assert report["GET /v1/candidates"] == EndpointStats(1, 0, 0.0, 100.0)
    assert report["POST /v1/candidates"] == EndpointStats(1, 0, 0.0, 100.0)
    assert agg.malformed == 1


def test_p95_comes_from_the_histogram():
    agg = LogAggregator()
    for _ in range(19):
        agg.add("t GET /health 200 3")
    agg.add("t GET /health 200 700")
    assert agg.report()["GET /health"].p95_ms == 5.0  # rank 19 of 20 is in the <= 5 bucket
