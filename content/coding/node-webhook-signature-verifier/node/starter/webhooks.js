"use strict";

const crypto = require("node:crypto");

/** The hex HMAC-SHA256 signature of one delivery; see statement.md. */
function signPayload(secret, timestamp, body) {
  throw new Error("not implemented");
}

/** A verifier of signed, non-replayed deliveries; see statement.md. */
function createVerifier({ secrets, toleranceSeconds = 300, maxRememberedDeliveries = 10000, now = Date.now } = {}) {
  throw new Error("not implemented");
}

module.exports = { signPayload, createVerifier };
