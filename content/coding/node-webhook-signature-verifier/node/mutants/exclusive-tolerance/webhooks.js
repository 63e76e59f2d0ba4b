"use strict";

const crypto = require("node:crypto");

const HEX_SIGNATURE = /^[0-9a-f]{64}$/;
const INTEGER = /^\d+$/;

function hmac(secret, timestamp, body) {
  return crypto
    .createHmac("sha256", secret)
    .update(`${timestamp}.`)
    .update(typeof body === "string" ? Buffer.from(body, "utf8") : body)
    .digest();
}

/** The hex HMAC-SHA256 signature of one delivery; see statement.md. */
function signPayload(secret, timestamp, body) {
  return hmac(secret, timestamp, body).toString("hex");
}

/** `t=...,v1=...` -> { timestamp, signatures } or null when the header is malformed. */
function parseSignatureHeader(header) {
  let timestamp = null;
  const signatures = [];
  for (const entry of header.split(",")) {
    const separator = entry.indexOf("=");
    if (separator === -1) continue;
    const key = entry.slice(0, separator).trim();
    const value = entry.slice(separator + 1).trim();
    if (key === "t") {
      if (timestamp !== null || !INTEGER.test(value)) return null;
      timestamp = Number(value);
    } else if (key === "v1") {
      signatures.push(value);
    }
  }
  if (timestamp === null || signatures.length === 0) return null;
  return { timestamp, signatures };
}

/** Insertion-ordered set that forgets its oldest member beyond `capacity` (a Set keeps order). */
class BoundedIdSet {
  constructor(capacity) {
    this.capacity = capacity;
    this.ids = new Set();
  }

  has(id) {
    return this.ids.has(id);
  }

  add(id) {
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next().value;
      this.ids.delete(oldest);
    }
  }

  get size() {
    return this.ids.size;
  }
}

function isPositiveInteger(value) {
  return Number.isInteger(value) && value > 0;
}

/** A verifier of signed, non-replayed deliveries; see statement.md. */
function createVerifier({
  secrets,
  toleranceSeconds = 300,
  maxRememberedDeliveries = 10000,
  now = Date.now,
} = {}) {
  if (
    !Array.isArray(secrets) ||
    secrets.length === 0 ||
    !secrets.every((secret) => typeof secret === "string" && secret.length > 0)
  ) {
    throw new TypeError("secrets must be a non-empty array of non-empty strings");
  }
  if (!isPositiveInteger(toleranceSeconds)) throw new RangeError("toleranceSeconds must be a positive integer");
  if (!isPositiveInteger(maxRememberedDeliveries)) {
    throw new RangeError("maxRememberedDeliveries must be a positive integer");
  }
  const keys = [...secrets];
  const seen = new BoundedIdSet(maxRememberedDeliveries);

  const signatureMatches = (timestamp, body, candidates) => {
    const provided = candidates
      .filter((candidate) => HEX_SIGNATURE.test(candidate))
      .map((candidate) => Buffer.from(candidate, "hex"));
    let matched = false;
    // Check every pair without stopping early: the time taken must not depend on which matched.
    for (const secret of keys) {
      const expected = hmac(secret, timestamp, body);
      for (const signature of provided) {
        if (crypto.timingSafeEqual(expected, signature)) matched = true;
      }
    }
    return matched;
  };

  const verify = (headers, rawBody) => {
    const id = headers?.["webhook-id"];
    const header = headers?.["webhook-signature"];
    if (typeof id !== "string" || id === "" || typeof header !== "string" || header === "") {
      return { ok: false, reason: "missing_header" };
    }
    const parsed = parseSignatureHeader(header);
    if (parsed === null) return { ok: false, reason: "malformed_header" };
    const skewSeconds = Math.abs(now() / 1000 - parsed.timestamp);
    if (skewSeconds >= toleranceSeconds) return { ok: false, reason: "timestamp_out_of_range" };
    const body = rawBody ?? Buffer.alloc(0);
    if (!signatureMatches(parsed.timestamp, body, parsed.signatures)) {
      return { ok: false, reason: "bad_signature" };
    }
    if (seen.has(id)) return { ok: false, reason: "replayed" };
    seen.add(id);
    return { ok: true, id };
  };

  return { verify, rememberedCount: () => seen.size };
}

module.exports = { signPayload, createVerifier };
