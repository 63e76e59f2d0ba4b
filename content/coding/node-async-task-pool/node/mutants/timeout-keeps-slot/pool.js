"use strict";

class TimeoutError extends Error {
  constructor(message) {
    super(message);
    this.name = "TimeoutError";
  }
}

const DEFAULT_TIMERS = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle),
};

function validate(tasks, concurrency, timeoutMs) {
  if (!Array.isArray(tasks)) throw new TypeError("tasks must be an array");
  const bad = tasks.findIndex((task) => typeof task !== "function");
  if (bad !== -1) throw new TypeError(`tasks[${bad}] is not a function`);
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError("concurrency must be an integer >= 1");
  }
  if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    throw new RangeError("timeoutMs must be a finite number > 0");
  }
}

/**
 * Run `tasks` with at most `options.concurrency` in flight; see statement.md.
 * @returns {Promise<Array<{status: string, value?: any, reason?: any}>>}
 */
async function runPool(tasks, options = {}) {
  const { concurrency, timeoutMs, timers = DEFAULT_TIMERS } = options;
  validate(tasks, concurrency, timeoutMs);
  const results = new Array(tasks.length);
  if (tasks.length === 0) return results;

  return new Promise((resolve) => {
    let next = 0;
    let finished = 0;

    // Called exactly once per task: records the outcome and hands the slot to the next task.
    const settle = (index, outcome) => {
      results[index] = outcome;
      finished += 1;
      if (finished === tasks.length) resolve(results);
    };

    const start = (index) => {
      const controller = new AbortController();
      let done = false;
      let timer;
      if (timeoutMs !== undefined) {
        timer = timers.setTimeout(() => {
          if (done) return;
          done = true;
          const error = new TimeoutError(`task ${index} timed out after ${timeoutMs} ms`);
          controller.abort(error);
          settle(index, { status: "rejected", reason: error });
        }, timeoutMs);
      }
      const finish = (outcome) => {
        if (done) {
          startNext(); // the slot is released once the task really ends
          return;
        }
        done = true;
        if (timer !== undefined) timers.clearTimeout(timer);
        settle(index, outcome);
        startNext();
      };
      let pending;
      try {
        pending = Promise.resolve(tasks[index](controller.signal));
      } catch (error) {
        pending = Promise.reject(error);
      }
      pending.then(
        (value) => finish({ status: "fulfilled", value }),
        (reason) => finish({ status: "rejected", reason }),
      );
    };

    // Settlements arrive on promise callbacks, so starting the next task here never recurses
    // more than one level deep however many tasks there are.
    const startNext = () => {
      if (next < tasks.length) start(next++);
    };

    for (let i = 0; i < Math.min(concurrency, tasks.length); i += 1) startNext();
  });
}

module.exports = { runPool, TimeoutError };
