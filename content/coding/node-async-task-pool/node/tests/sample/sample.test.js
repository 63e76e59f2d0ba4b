"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { runPool, TimeoutError } = require("../pool.js");

const flush = () => new Promise((resolve) => setImmediate(resolve));

// Fake timers: nothing fires until the test calls advance(ms).
function fakeTimers() {
  let now = 0;
  let seq = 0;
  const pending = new Map();
  return {
    setTimeout(callback, ms) {
      seq += 1;
      pending.set(seq, { at: now + ms, seq, callback });
      return seq;
    },
    clearTimeout(handle) {
      pending.delete(handle);
    },
    pendingCount: () => pending.size,
    async advance(ms) {
      const target = now + ms;
      for (;;) {
        let due = null;
        for (const timer of pending.values()) {
          if (timer.at <= target && (due === null || timer.at < due.at)) due = timer;
        }
        if (due === null) break;
        now = due.at;
        pending.delete(due.seq);
        due.callback();
        await flush();
      }
      now = target;
      await flush();
    },
  };
}

test("settled results in input order", async () => {
  const results = await runPool(
    [async () => "a", async () => { throw new Error("b"); }, () => "c"],
    { concurrency: 2 },
  );
  assert.equal(results[0].value, "a");
  assert.equal(results[1].status, "rejected");
  assert.equal(results[2].value, "c");
});

test("a hung task times out", async () => {
  const timers = fakeTimers();
  const done = runPool([() => new Promise(() => {}), async () => "ok"], {
    concurrency: 1,
    timeoutMs: 500,
    timers,
  });
  await flush();
  await timers.advance(500);
  const results = await done;
  assert.ok(results[0].reason instanceof TimeoutError);
  assert.deepEqual(results[1], { status: "fulfilled", value: "ok" });
  assert.equal(timers.pendingCount(), 0);
});
