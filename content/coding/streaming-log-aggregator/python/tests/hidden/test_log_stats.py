"""Hidden tests for LogAggregator: parsing, normalisation, counts, histogram p95, streaming, memory."""

import random
import tracemalloc

import pytest

from log_stats import BUCKETS_MS, EndpointStats, LogAggregator

TS = "2024-05-01T12:00:00.123Z"


def line(method="GET", path="/v1/candidates", status=200, latency="12"):
    return f"{TS} {method} {path} {status} {latency}"


def aggregate(lines):
    agg = LogAggregator()
    agg.consume(lines)
    return agg


def test_counts_requests_and_errors_per_endpoint():
    agg = aggregate([
        line(status=200), line(status=503), line(status=200), line(status=201),
        line(method="POST", status=500), line(method="POST", status=502),
    ])
    report = agg.report()
    assert set(report) == {"GET /v1/candidates", "POST /v1/candidates"}
    get = report["GET /v1/candidates"]
    assert (get.requests, get.errors) == (4, 1)
    assert get.error_rate == pytest.approx(0.25)
    post = report["POST /v1/candidates"]
    assert (post.requests, post.errors, post.error_rate) == (2, 2, 1.0)
    assert agg.malformed == 0


def test_only_5xx_are_errors():
    statuses = [100, 200, 301, 400, 404, 429, 499, 500, 503, 599]
    stats = aggregate([line(status=s) for s in statuses]).report()["GET /v1/candidates"]
    assert stats.errors == 3
    assert stats.error_rate == pytest.approx(0.3)


def test_path_normalisation():
    agg = aggregate([
        line(path="/v1/candidates/4711/answers?page=2"),
        line(path="/v1/candidates/12/answers"),
        line(path="/v1/candidates/0/answers?x=1?y=2"),
        line(path="/v1/candidates/abc123/answers"),
        line(path="/v1/candidates/12a/answers"),
        line(path="/v2/orgs/7/members/42"),
        line(path="/v1/candidates/?q=ada"),
        line(path="/?"),
        line(method="DELETE", path="/v1/candidates/9/answers"),
    ])
    assert set(agg.report()) == {
        "GET /v1/candidates/{id}/answers",
        "GET /v1/candidates/abc123/answers",
        "GET /v1/candidates/12a/answers",
        "GET /v2/orgs/{id}/members/{id}",
        "GET /v1/candidates/",
        "GET /",
        "DELETE /v1/candidates/{id}/answers",
    }
    assert agg.report()["GET /v1/candidates/{id}/answers"].requests == 3


MALFORMED = {
    "one-field": "garbage",
    "four-fields": f"{TS} GET /v1/candidates 200",
    "six-fields": f"{TS} GET /v1/candidates 200 12 extra",
    "lower-case-method": f"{TS} get /v1/candidates 200 12",
    "unknown-method": f"{TS} FETCH /v1/candidates 200 12",
    "relative-path": f"{TS} GET v1/candidates 200 12",
    "four-digit-status": f"{TS} GET /v1/candidates 2000 12",
    "two-digit-status": f"{TS} GET /v1/candidates 20 12",
    "status-below-100": f"{TS} GET /v1/candidates 099 12",
    "status-above-599": f"{TS} GET /v1/candidates 600 12",
    "non-digit-status": f"{TS} GET /v1/candidates 2x0 12",
    "signed-status": f"{TS} GET /v1/candidates +20 12",
    "negative-latency": f"{TS} GET /v1/candidates 200 -5",
    "word-latency": f"{TS} GET /v1/candidates 200 abc",
    "exponent-latency": f"{TS} GET /v1/candidates 200 1e3",
    "nan-latency": f"{TS} GET /v1/candidates 200 nan",
    "inf-latency": f"{TS} GET /v1/candidates 200 inf",
    "trailing-dot-latency": f"{TS} GET /v1/candidates 200 12.",
    "leading-dot-latency": f"{TS} GET /v1/candidates 200 .5",
    "comma-latency": f"{TS} GET /v1/candidates 200 1,5",
}


@pytest.mark.parametrize("bad", list(MALFORMED.values()), ids=list(MALFORMED))
def test_malformed_lines_are_skipped_and_counted(bad):
    agg = aggregate([bad, line(status=500)])
    assert agg.malformed == 1
    report = agg.report()
    assert list(report) == ["GET /v1/candidates"]
    assert (report["GET /v1/candidates"].requests, report["GET /v1/candidates"].errors) == (1, 1)


def test_blank_lines_and_line_endings():
    agg = aggregate(["", "   ", "\n", "\t\r\n", line() + "\n", line() + "\r\n", f"{TS}\tGET  /x\t200  7"])
    assert agg.malformed == 0
    assert agg.report()["GET /v1/candidates"].requests == 2
    assert agg.report()["GET /x"].requests == 1


def test_p95_rank_is_rounded_up():
    agg = LogAggregator()
    for _ in range(19):
        agg.add(line(latency="8"))
    agg.add(line(latency="800"))
    assert agg.report()["GET /v1/candidates"].p95_ms == 10.0  # n=20: rank 19
    agg.add(line(latency="800"))
    assert agg.report()["GET /v1/candidates"].p95_ms == 1000.0  # n=21: rank ceil(19.95)=20


def test_p95_rank_at_other_sizes():
    cases = {1: 1, 2: 2, 10: 10, 40: 38, 100: 95, 101: 96}
    for n, rank in cases.items():
        agg = LogAggregator()
        for i in range(1, n + 1):  # the i-th smallest latency falls in bucket 4 (<=100) iff i == rank
            agg.add(line(latency="3" if i < rank else ("100" if i == rank else "20000")))
        assert agg.report()["GET /v1/candidates"].p95_ms == 100.0, n


def test_single_request():
    agg = aggregate([line(latency="42")])
    assert agg.report()["GET /v1/candidates"] == EndpointStats(1, 0, 0.0, 50.0)


@pytest.mark.parametrize(
    ("latency", "p95"),
    [("0", 5.0), ("5", 5.0), ("5.0", 5.0), ("5.01", 10.0), ("100", 100.0), ("100.5", 250.0),
     ("9999.99", 10000.0), ("10000", 10000.0)],
)
def test_a_latency_on_a_bound_belongs_to_that_bucket(latency, p95):
    assert aggregate([line(latency=latency)]).report()["GET /v1/candidates"].p95_ms == p95


def test_overflow_bucket_reports_the_largest_latency():
    agg = aggregate([line(latency="15000.5"), line(latency="12000"), line(latency="3")])
    assert agg.report()["GET /v1/candidates"].p95_ms == 15000.5
    agg.add(line(latency="61000"))
    assert agg.report()["GET /v1/candidates"].p95_ms == 61000.0


def test_report_is_a_snapshot():
    agg = aggregate([line(latency="3")])
    before = agg.report()
    agg.consume([line(latency="300", status=500), line(path="/other")])
    assert before == {"GET /v1/candidates": EndpointStats(1, 0, 0.0, 5.0)}
    after = agg.report()
    assert after["GET /v1/candidates"] == EndpointStats(2, 1, 0.5, 500.0)
    assert after is not before


def test_consume_processes_each_line_before_reading_the_next():
    agg = LogAggregator()

    def stream():
        for i in range(1, 51):
            yield line(status=500 if i % 2 else 200)
            yield "not a log line"
            # the line just yielded must already be counted when the stream resumes
            assert agg.report()["GET /v1/candidates"].requests == i
            assert agg.malformed == i

    agg.consume(stream())
    assert agg.report()["GET /v1/candidates"].errors == 25


def test_long_random_log_matches_exact_nearest_rank():
    rng = random.Random(99)
    endpoints = ["GET /a", "POST /a", "GET /b/{id}", "PUT /c"]
    truth = {e: [] for e in endpoints}
    errors = {e: 0 for e in endpoints}
    lines = []
    choices = [str(int(b)) for b in BUCKETS_MS] + ["0", "1.5", "75.25", "260", "12345", "9000.5"]
    for _ in range(5000):
        endpoint = rng.choice(endpoints)
        method, path = endpoint.split()
        path = path.replace("{id}", str(rng.randrange(10_000)))
        status = rng.choice([200, 200, 200, 201, 404, 500, 503])
        latency = rng.choice(choices) if rng.random() < 0.5 else str(rng.randrange(12_000))
        lines.append(f"{TS} {method} {path} {status} {latency}")
        truth[endpoint].append(float(latency))
        errors[endpoint] += status >= 500
    report = aggregate(lines).report()
    for endpoint, latencies in truth.items():
        ordered = sorted(latencies)
        value = ordered[(95 * len(ordered) + 99) // 100 - 1]
        expected = next((float(b) for b in BUCKETS_MS if value <= b), max(ordered))
        stats = report[endpoint]
        assert stats.requests == len(latencies)
        assert stats.errors == errors[endpoint]
        assert stats.error_rate == pytest.approx(errors[endpoint] / len(latencies))
        assert stats.p95_ms == expected, endpoint


def test_memory_does_not_grow_with_the_number_of_lines():
    def stream(count):
        for i in range(count):
            endpoint = ("GET /v1/candidates/", "POST /v1/answers/", "GET /v1/tasks/")[i % 3]
            method, path = endpoint.split()
            yield f"{TS} {method} {path}{i} {503 if i % 50 == 0 else 200} {i % 4000}.25\n"

    agg = LogAggregator()
    agg.consume(stream(300))  # every endpoint exists before measuring
    tracemalloc.start()
    try:
        agg.consume(stream(60_000))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    report = agg.report()
    assert report["GET /v1/candidates/{id}"].requests == 20_100
    assert report["GET /v1/candidates/{id}"].p95_ms == 5000.0
    assert peak < 512 * 1024, f"peak {peak} bytes while streaming 60,000 lines"
