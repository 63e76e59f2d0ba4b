"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { runPool, TimeoutError } = require("../pool.js");

const flush = () => new Promise((resolve) => setImmediate(resolve));

function fakeTimers() {
  let now = 0;
  let seq = 0;
  const pending = new Map();
  return {
    created: 0,
    setTimeout(callback, ms) {
      this.created += 1;
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

function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

// Tasks whose settlement the test controls; `started` lists task indexes in start order.
function controlled(count) {
  const started = [];
  const gates = [];
  const signals = [];
  let running = 0;
  let maxRunning = 0;
  const tasks = [];
  for (let i = 0; i < count; i += 1) {
    gates.push(deferred());
    tasks.push((signal) => {
      started.push(i);
      signals[i] = signal;
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      return gates[i].promise.finally(() => {
        running -= 1;
      });
    });
  }
  return { tasks, gates, started, signals, maxRunning: () => maxRunning };
}

test("results are in input order, not completion order", async () => {
  const c = controlled(4);
  const done = runPool(c.tasks, { concurrency: 4 });
  await flush();
  c.gates[3].resolve("d");
  await flush();
  c.gates[1].reject(new Error("b failed"));
  await flush();
  c.gates[2].resolve("c");
  c.gates[0].resolve("a");
  const results = await done;
  assert.deepEqual(results.map((r) => r.status), ["fulfilled", "rejected", "fulfilled", "fulfilled"]);
  assert.equal(results[0].value, "a");
  assert.equal(results[1].reason.message, "b failed");
  assert.equal(results[2].value, "c");
  assert.equal(results[3].value, "d");
});

test("never runs more than concurrency tasks at once", async () => {
  const c = controlled(12);
  const done = runPool(c.tasks, { concurrency: 3 });
  const order = [2, 0, 1, 5, 4, 3, 8, 6, 7, 11, 9, 10];
  for (const index of order) {
    await flush();
    c.gates[index].resolve(index);
  }
  const results = await done;
  assert.equal(c.maxRunning(), 3);
  assert.deepEqual(results.map((r) => r.value), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
});

test("starts tasks in input order", async () => {
  const c = controlled(6);
  const done = runPool(c.tasks, { concurrency: 2 });
  for (const index of [1, 0, 3, 2, 5, 4]) {
    await flush();
    c.gates[index].resolve(index);
  }
  await done;
  assert.deepEqual(c.started, [0, 1, 2, 3, 4, 5]);
});

test("starts the next task as soon as any slot frees", async () => {
  const c = controlled(4);
  const done = runPool(c.tasks, { concurrency: 2 });
  await flush();
  assert.deepEqual(c.started, [0, 1]);
  c.gates[1].resolve("fast");
  await flush();
  assert.deepEqual(c.started, [0, 1, 2], "task 2 must start while task 0 is still running");
  c.gates[2].resolve("fast too");
  await flush();
  assert.deepEqual(c.started, [0, 1, 2, 3]);
  c.gates[0].resolve("slow");
  c.gates[3].resolve("last");
  await done;
});

test("synchronous throws and plain values are results too", async () => {
  const boom = new Error("sync boom");
  const results = await runPool(
    [
      () => {
        throw boom;
      },
      () => 42,
      async () => "async",
      () => Promise.reject(new TypeError("nope")),
    ],
    { concurrency: 1 },
  );
  assert.deepEqual(results[0], { status: "rejected", reason: boom });
  assert.deepEqual(results[1], { status: "fulfilled", value: 42 });
  assert.deepEqual(results[2], { status: "fulfilled", value: "async" });
  assert.equal(results[3].status, "rejected");
  assert.ok(results[3].reason instanceof TypeError);
});

test("every task receives an AbortSignal", async () => {
  const seen = [];
  await runPool(
    [0, 1, 2].map(() => (signal) => {
      seen.push(signal instanceof AbortSignal && !signal.aborted);
    }),
    { concurrency: 2 },
  );
  assert.deepEqual(seen, [true, true, true]);
});

test("a timeout rejects with TimeoutError and aborts the signal", async () => {
  const timers = fakeTimers();
  const c = controlled(1);
  const done = runPool(c.tasks, { concurrency: 1, timeoutMs: 250, timers });
  await flush();
  await timers.advance(249);
  assert.equal(c.signals[0].aborted, false);
  await timers.advance(1);
  const [result] = await done;
  assert.equal(result.status, "rejected");
  assert.ok(result.reason instanceof TimeoutError);
  assert.equal(result.reason.name, "TimeoutError");
  assert.equal(c.signals[0].aborted, true);
  assert.equal(c.signals[0].reason, result.reason);
});

test("a timed-out task frees its slot immediately", async () => {
  const timers = fakeTimers();
  const c = controlled(3);
  const done = runPool(c.tasks, { concurrency: 1, timeoutMs: 100, timers });
  await flush();
  assert.deepEqual(c.started, [0]);
  await timers.advance(100); // task 0 hangs forever
  assert.deepEqual(c.started, [0, 1]);
  c.gates[1].resolve("one");
  await flush();
  assert.deepEqual(c.started, [0, 1, 2]);
  c.gates[2].resolve("two");
  const results = await done;
  assert.ok(results[0].reason instanceof TimeoutError);
  assert.deepEqual(results.slice(1), [
    { status: "fulfilled", value: "one" },
    { status: "fulfilled", value: "two" },
  ]);
});

test("each task gets its own timeout measured from its start", async () => {
  const timers = fakeTimers();
  const c = controlled(2);
  const done = runPool(c.tasks, { concurrency: 1, timeoutMs: 100, timers });
  await flush();
  await timers.advance(60);
  c.gates[0].resolve("zero"); // task 1 starts at t=60, times out at t=160
  await flush();
  await timers.advance(90);
  assert.equal(c.signals[1].aborted, false);
  await timers.advance(10);
  const results = await done;
  assert.deepEqual(results[0], { status: "fulfilled", value: "zero" });
  assert.ok(results[1].reason instanceof TimeoutError);
});

test("settling after the timeout is ignored", async () => {
  const timers = fakeTimers();
  const c = controlled(2);
  const done = runPool(c.tasks, { concurrency: 2, timeoutMs: 50, timers });
  await flush();
  c.gates[1].resolve("in time");
  await flush();
  await timers.advance(50);
  c.gates[0].resolve("too late");
  await flush();
  const results = await done;
  assert.ok(results[0].reason instanceof TimeoutError);
  assert.deepEqual(results[1], { status: "fulfilled", value: "in time" });
});

test("no timers are left pending", async () => {
  const timers = fakeTimers();
  const tasks = Array.from({ length: 20 }, (_, i) => async () => i);
  const results = await runPool(tasks, { concurrency: 4, timeoutMs: 1000, timers });
  assert.equal(results.length, 20);
  assert.equal(timers.created, 20, "one timeout timer per started task");
  assert.equal(timers.pendingCount(), 0);
});

test("without timeoutMs no timers are used", async () => {
  const timers = fakeTimers();
  const results = await runPool([async () => 1, () => 2], { concurrency: 1, timers });
  assert.deepEqual(results.map((r) => r.value), [1, 2]);
  assert.equal(timers.created, 0);
});

test("empty task list and concurrency above the task count", async () => {
  assert.deepEqual(await runPool([], { concurrency: 3 }), []);
  const results = await runPool([() => "a", () => "b"], { concurrency: 100 });
  assert.deepEqual(results.map((r) => r.value), ["a", "b"]);
});

test("invalid arguments reject before any task starts", async () => {
  let calls = 0;
  const task = () => {
    calls += 1;
  };
  await assert.rejects(runPool([task], { concurrency: 0 }), RangeError);
  await assert.rejects(runPool([task], { concurrency: 1.5 }), RangeError);
  await assert.rejects(runPool([task], { concurrency: 2, timeoutMs: 0 }), RangeError);
  await assert.rejects(runPool([task], { concurrency: 2, timeoutMs: Infinity }), RangeError);
  await assert.rejects(runPool("tasks", { concurrency: 2 }), TypeError);
  await assert.rejects(runPool([task, 42], { concurrency: 2 }), TypeError);
  assert.equal(calls, 0);
});

test("tens of thousands of tasks", async () => {
  const tasks = Array.from({ length: 50000 }, (_, i) => (i % 2 ? () => i : async () => i));
  const results = await runPool(tasks, { concurrency: 16 });
  assert.equal(results.length, 50000);
  assert.equal(results[49999].value, 49999);
  assert.ok(results.every((r, i) => r.status === "fulfilled" && r.value === i));
});
