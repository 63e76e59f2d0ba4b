"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { createRateLimiter } = require("../rateLimiter.js");

function send(limiter, ip = "203.0.113.7") {
  const headers = {};
  const res = {
    statusCode: 200,
    setHeader(name, value) {
      headers[name.toLowerCase()] = String(value);
    },
    end(body) {
      this.body = body;
    },
  };
  let passed = false;
  limiter({ ip }, res, () => {
    passed = true;
  });
  return { passed, res, headers };
}

test("the example from the statement", () => {
  let time = 0;
  const limiter = createRateLimiter({ limit: 2, windowMs: 60000, now: () => time });
  assert.equal(send(limiter).headers["ratelimit-remaining"], "1");
  time = 10000;
  assert.equal(send(limiter).headers["ratelimit-remaining"], "0");
  time = 20000;
  const rejected = send(limiter);
  assert.equal(rejected.passed, false);
  assert.equal(rejected.res.statusCode, 429);
  assert.equal(rejected.headers["retry-after"], "40");
  time = 60000;
  assert.equal(send(limiter).passed, true);
});
