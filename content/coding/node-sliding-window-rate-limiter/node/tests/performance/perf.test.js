"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { createRateLimiter } = require("../rateLimiter.js");

test("a long stream of requests with a large limit", () => {
  let time = 0;
  const limiter = createRateLimiter({ limit: 5000, windowMs: 1000, now: () => time });
  const res = { statusCode: 200, setHeader() {}, end() {} };
  let allowed = 0;
  const next = () => {
    allowed += 1;
  };
  const keys = ["a", "b", "c", "d"];
  for (let i = 0; i < 400000; i += 1) {
    time = Math.floor(i / 4) / 10; // each key: one request per 0.1 ms, 10 000 per window
    res.statusCode = 200;
    limiter({ ip: keys[i % 4] }, res, next);
  }
  // each key: 100 000 requests over 10 s against 5 000 per second
  assert.ok(allowed >= 4 * 5000 * 10 && allowed <= 4 * 5000 * 11, `allowed ${allowed}`);
});
