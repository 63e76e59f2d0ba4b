"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { createRateLimiter } = require("../rateLimiter.js");

function fakeClock(start = 0) {
  let time = start;
  const now = () => time;
  now.set = (t) => {
    time = t;
  };
  return now;
}

// Sends one request through the middleware; returns what the client would see.
function send(limiter, ip = "203.0.113.7", extra = {}) {
  const headers = {};
  const res = {
    statusCode: 200,
    ended: false,
    body: undefined,
    setHeader(name, value) {
      headers[name.toLowerCase()] = String(value);
    },
    end(body) {
      this.ended = true;
      this.body = body;
    },
  };
  let nextCalls = 0;
  limiter({ ip, headers: {}, ...extra }, res, () => {
    nextCalls += 1;
  });
  return { allowed: nextCalls === 1 && res.statusCode === 200, nextCalls, res, headers };
}

function sendAt(limiter, now, t, ip) {
  now.set(t);
  return send(limiter, ip);
}

test("allows up to limit requests in the window", () => {
  const now = fakeClock(1000);
  const limiter = createRateLimiter({ limit: 3, windowMs: 10000, now });
  for (let i = 0; i < 3; i += 1) assert.equal(send(limiter).allowed, true);
  const fourth = send(limiter);
  assert.equal(fourth.allowed, false);
  assert.equal(fourth.nextCalls, 0);
});

test("the window is sliding, not fixed", () => {
  const now = fakeClock();
  const limiter = createRateLimiter({ limit: 2, windowMs: 1000, now });
  assert.equal(sendAt(limiter, now, 900).allowed, true);
  assert.equal(sendAt(limiter, now, 950).allowed, true);
  assert.equal(sendAt(limiter, now, 1100).allowed, false, "900 and 950 are inside (100, 1100]");
  assert.equal(sendAt(limiter, now, 1899).allowed, false);
  assert.equal(sendAt(limiter, now, 1900).allowed, true);
  assert.equal(sendAt(limiter, now, 1949).allowed, false);
  assert.equal(sendAt(limiter, now, 1950).allowed, true);
});

test("a request exactly windowMs old has left the window", () => {
  const now = fakeClock();
  const limiter = createRateLimiter({ limit: 1, windowMs: 5000, now });
  assert.equal(sendAt(limiter, now, 10000).allowed, true);
  assert.equal(sendAt(limiter, now, 14999).allowed, false);
  assert.equal(sendAt(limiter, now, 15000).allowed, true);
});

test("rejected requests are not counted", () => {
  const now = fakeClock();
  const limiter = createRateLimiter({ limit: 2, windowMs: 1000, now });
  sendAt(limiter, now, 0);
  sendAt(limiter, now, 500);
  for (let t = 600; t < 1000; t += 50) assert.equal(sendAt(limiter, now, t).allowed, false);
  assert.equal(sendAt(limiter, now, 1000).allowed, true, "the t=0 request has left; retries must not count");
  assert.equal(sendAt(limiter, now, 1200).allowed, false);
  assert.equal(sendAt(limiter, now, 1500).allowed, true);
});

test("allowed responses carry the RateLimit headers", () => {
  const now = fakeClock();
  const limiter = createRateLimiter({ limit: 3, windowMs: 1000, now });
  const first = send(limiter);
  assert.equal(first.headers["ratelimit-limit"], "3");
  assert.equal(first.headers["ratelimit-remaining"], "2");
  assert.equal(first.res.ended, false, "an allowed request is answered by the next handler");
  assert.equal(send(limiter).headers["ratelimit-remaining"], "1");
  assert.equal(send(limiter).headers["ratelimit-remaining"], "0");
  now.set(1000);
  assert.equal(send(limiter).headers["ratelimit-remaining"], "2");
});

test("a rejected response is a JSON 429", () => {
  const now = fakeClock();
  const limiter = createRateLimiter({ limit: 1, windowMs: 60000, now });
  send(limiter);
  const rejected = send(limiter);
  assert.equal(rejected.res.statusCode, 429);
  assert.equal(rejected.res.ended, true);
  assert.deepEqual(JSON.parse(rejected.res.body), { error: "rate_limited" });
  assert.match(rejected.headers["content-type"], /^application\/json/);
  assert.equal(rejected.headers["ratelimit-limit"], "1");
  assert.equal(rejected.headers["ratelimit-remaining"], "0");
  assert.equal(rejected.headers["retry-after"], "60");
});

test("Retry-After counts from the oldest request in the window", () => {
  const now = fakeClock();
  const limiter = createRateLimiter({ limit: 2, windowMs: 60000, now });
  sendAt(limiter, now, 0);
  sendAt(limiter, now, 10000);
  assert.equal(sendAt(limiter, now, 20000).headers["retry-after"], "40");
  assert.equal(sendAt(limiter, now, 60000).allowed, true);
  assert.equal(sendAt(limiter, now, 60001).headers["retry-after"], "10", "10000 leaves at 70000");
});

test("Retry-After rounds up to whole seconds and is at least 1", () => {
  const now = fakeClock();
  const limiter = createRateLimiter({ limit: 1, windowMs: 60000, now });
  sendAt(limiter, now, 0);
  assert.equal(sendAt(limiter, now, 20500).headers["retry-after"], "40");
  assert.equal(sendAt(limiter, now, 58001).headers["retry-after"], "2");
  assert.equal(sendAt(limiter, now, 59000).headers["retry-after"], "1");
  assert.equal(sendAt(limiter, now, 59999).headers["retry-after"], "1");
});

test("keys are limited independently", () => {
  const now = fakeClock();
  const limiter = createRateLimiter({ limit: 1, windowMs: 1000, now });
  assert.equal(send(limiter, "198.51.100.1").allowed, true);
  assert.equal(send(limiter, "198.51.100.2").allowed, true);
  assert.equal(send(limiter, "198.51.100.1").allowed, false);
  assert.equal(send(limiter, "198.51.100.2").allowed, false);
});

test("keyOf chooses the key", () => {
  const now = fakeClock();
  const limiter = createRateLimiter({ limit: 2, windowMs: 1000, now, keyOf: (req) => req.apiKey });
  assert.equal(send(limiter, "10.0.0.1", { apiKey: "k1" }).allowed, true);
  assert.equal(send(limiter, "10.0.0.2", { apiKey: "k1" }).allowed, true);
  assert.equal(send(limiter, "10.0.0.3", { apiKey: "k1" }).allowed, false);
  assert.equal(send(limiter, "10.0.0.1", { apiKey: "k2" }).allowed, true);
});

test("prune drops keys with nothing left in the window", () => {
  const now = fakeClock();
  const limiter = createRateLimiter({ limit: 5, windowMs: 1000, now });
  for (let i = 0; i < 50; i += 1) sendAt(limiter, now, i * 10, `10.0.${i}.1`); // t = 0..490
  assert.equal(limiter.trackedKeys(), 50);
  now.set(1000);
  limiter.prune();
  assert.equal(limiter.trackedKeys(), 49, "only the t=0 key has nothing left in (0, 1000]");
  now.set(1490);
  limiter.prune();
  assert.equal(limiter.trackedKeys(), 0);
  assert.equal(sendAt(limiter, now, 1500, "10.0.0.1").headers["ratelimit-remaining"], "4");
  assert.equal(limiter.trackedKeys(), 1);
});

test("prune keeps the counts of live keys", () => {
  const now = fakeClock();
  const limiter = createRateLimiter({ limit: 2, windowMs: 1000, now });
  sendAt(limiter, now, 0, "a");
  sendAt(limiter, now, 600, "a");
  now.set(1100);
  limiter.prune();
  assert.equal(limiter.trackedKeys(), 1);
  assert.equal(sendAt(limiter, now, 1100, "a").headers["ratelimit-remaining"], "0");
  assert.equal(sendAt(limiter, now, 1200, "a").allowed, false);
});

test("invalid options", () => {
  assert.throws(() => createRateLimiter({ limit: 0, windowMs: 1000 }), RangeError);
  assert.throws(() => createRateLimiter({ limit: 1.5, windowMs: 1000 }), RangeError);
  assert.throws(() => createRateLimiter({ limit: 5, windowMs: 0 }), RangeError);
  assert.throws(() => createRateLimiter({ limit: 5, windowMs: NaN }), RangeError);
});
