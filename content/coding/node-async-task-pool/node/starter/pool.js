"use strict";

class TimeoutError extends Error {
  constructor(message) {
    super(message);
    this.name = "TimeoutError";
  }
}

/**
 * Run `tasks` with at most `options.concurrency` in flight; see statement.md.
 * @returns {Promise<Array<{status: string, value?: any, reason?: any}>>}
 */
async function runPool(tasks, options) {
  throw new Error("not implemented");
}

module.exports = { runPool, TimeoutError };
