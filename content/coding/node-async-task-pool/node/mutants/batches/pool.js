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

function runOne(task, index, timeoutMs, timers) {
  const controller = new AbortController();
  let pending;
  try {
    pending = Promise.resolve(task(controller.signal));
  } catch (error) {
    pending = Promise.reject(error);
  }
  if (timeoutMs === undefined) return pending;
  return new Promise((resolve, reject) => {
    const timer = timers.setTimeout(() => {
      const error = new TimeoutError(`task ${index} timed out after ${timeoutMs} ms`);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
    pending.then(
      (value) => {
        timers.clearTimeout(timer);
        resolve(value);
      },
      (reason) => {
        timers.clearTimeout(timer);
        reject(reason);
      },
    );
  });
}

async function runPool(tasks, options = {}) {
  const { concurrency, timeoutMs, timers = DEFAULT_TIMERS } = options;
  validate(tasks, concurrency, timeoutMs);
  const results = [];
  for (let start = 0; start < tasks.length; start += concurrency) {
    const batch = tasks
      .slice(start, start + concurrency)
      .map((task, offset) => runOne(task, start + offset, timeoutMs, timers));
    results.push(...(await Promise.allSettled(batch)));
  }
  return results;
}

module.exports = { runPool, TimeoutError };
