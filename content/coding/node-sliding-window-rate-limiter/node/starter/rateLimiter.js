"use strict";

/** A sliding-window rate limiting middleware; see statement.md. */
function createRateLimiter({ limit, windowMs, now = Date.now, keyOf = (req) => req.ip } = {}) {
  throw new Error("not implemented");
}

module.exports = { createRateLimiter };
