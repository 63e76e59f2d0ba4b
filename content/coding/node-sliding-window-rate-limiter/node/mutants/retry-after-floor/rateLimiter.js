"use strict";

const REJECTED_BODY = JSON.stringify({ error: "rate_limited" });

/**
 * The times of a key's allowed requests, oldest first. Expired times are skipped by moving
 * `head`, and the array is compacted once most of it is dead, so every operation is amortised
 * O(1) and a key never holds more than `limit` live times (plus as many dead ones at most).
 */
class RequestLog {
  constructor() {
    this.times = [];
    this.head = 0;
  }

  get count() {
    return this.times.length - this.head;
  }

  expireUpTo(cutoff) {
    while (this.head < this.times.length && this.times[this.head] <= cutoff) this.head += 1;
    if (this.head > 32 && this.head * 2 >= this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }

  oldest() {
    return this.times[this.head];
  }

  record(time) {
    this.times.push(time);
  }
}

/** A sliding-window rate limiting middleware; see statement.md. */
function createRateLimiter({ limit, windowMs, now = Date.now, keyOf = (req) => req.ip } = {}) {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError("limit must be an integer >= 1");
  if (!(Number.isFinite(windowMs) && windowMs > 0)) throw new RangeError("windowMs must be a finite number > 0");
  const logs = new Map();

  function limiter(req, res, next) {
    const time = now();
    const key = keyOf(req);
    let log = logs.get(key);
    if (log === undefined) {
      log = new RequestLog();
      logs.set(key, log);
    }
    // The window is (time - windowMs, time]: a request at exactly time - windowMs has left it.
    log.expireUpTo(time - windowMs);
    res.setHeader("RateLimit-Limit", String(limit));
    if (log.count < limit) {
      log.record(time);
      res.setHeader("RateLimit-Remaining", String(limit - log.count));
      next();
      return;
    }
    const waitMs = log.oldest() + windowMs - time;
    res.statusCode = 429;
    res.setHeader("Retry-After", String(Math.floor(waitMs / 1000)));
    res.setHeader("RateLimit-Remaining", "0");
    res.setHeader("Content-Type", "application/json");
    res.end(REJECTED_BODY);
  }

  limiter.prune = () => {
    const cutoff = now() - windowMs;
    for (const [key, log] of logs) {
      log.expireUpTo(cutoff);
      if (log.count === 0) logs.delete(key);
    }
  };
  limiter.trackedKeys = () => logs.size;
  return limiter;
}

module.exports = { createRateLimiter };
