"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const crypto = require("node:crypto");

// Count constant-time comparisons; installed before the solution is loaded.
const originalTimingSafeEqual = crypto.timingSafeEqual;
let safeCompares = 0;
crypto.timingSafeEqual = function countingTimingSafeEqual(a, b) {
  safeCompares += 1;
  return originalTimingSafeEqual.call(this, a, b);
};

const { signPayload, createVerifier } = require("../webhooks.js");

const SECRET = "whsec_test_4f1c2a";
const NOW_SECONDS = 1_700_000_000;

function hmacHex(secret, t, body) {
  return crypto.createHmac("sha256", secret).update(`${t}.`).update(body).digest("hex");
}

function clock(seconds = NOW_SECONDS) {
  const state = { ms: seconds * 1000 };
  const now = () => state.ms;
  now.set = (s) => {
    state.ms = s * 1000;
  };
  return now;
}

function delivery(id, body, { t = NOW_SECONDS, secret = SECRET, signatures } = {}) {
  const v1 = signatures ?? [hmacHex(secret, t, Buffer.from(body))];
  return {
    headers: {
      "webhook-id": id,
      "webhook-signature": [`t=${t}`, ...v1.map((s) => `v1=${s}`)].join(","),
    },
    body: Buffer.from(body),
  };
}

test("signPayload is the hex HMAC-SHA256 of timestamp, dot and raw body", () => {
  const body = Buffer.from('{"amount":500,"note":"caf\u00e9 \u2615"}', "utf8");
  assert.equal(signPayload(SECRET, 1700000123, body), hmacHex(SECRET, 1700000123, body));
  assert.equal(signPayload(SECRET, 5, "h\u00e9"), hmacHex(SECRET, 5, Buffer.from("h\u00e9", "utf8")));
});

test("accepts a genuine delivery", () => {
  const verifier = createVerifier({ secrets: [SECRET], now: clock() });
  const d = delivery("evt_1", '{"type":"charge.succeeded"}');
  assert.deepEqual(verifier.verify(d.headers, d.body), { ok: true, id: "evt_1" });
});

test("the signature covers the exact raw bytes", () => {
  const verifier = createVerifier({ secrets: [SECRET], now: clock() });
  const d = delivery("evt_2", '{ "amount": 500,  "currency": "EUR" }\n');
  const reformatted = Buffer.from(JSON.stringify(JSON.parse(d.body.toString())));
  assert.deepEqual(verifier.verify(d.headers, reformatted), { ok: false, reason: "bad_signature" });
  assert.deepEqual(verifier.verify(d.headers, d.body), { ok: true, id: "evt_2" });
});

test("the timestamp is part of what is signed", () => {
  const verifier = createVerifier({ secrets: [SECRET], now: clock() });
  const d = delivery("evt_3", "{}", { t: NOW_SECONDS - 10 });
  const v1 = d.headers["webhook-signature"].split(",")[1];
  const moved = { ...d.headers, "webhook-signature": `t=${NOW_SECONDS},${v1}` };
  assert.deepEqual(verifier.verify(moved, d.body), { ok: false, reason: "bad_signature" });
});

test("missing headers", () => {
  const verifier = createVerifier({ secrets: [SECRET], now: clock() });
  const d = delivery("evt_4", "{}");
  const noId = { "webhook-signature": d.headers["webhook-signature"] };
  const noSignature = { "webhook-id": "evt_4" };
  const emptyId = { ...d.headers, "webhook-id": "" };
  for (const headers of [noId, noSignature, emptyId, {}]) {
    assert.deepEqual(verifier.verify(headers, d.body), { ok: false, reason: "missing_header" });
  }
});

test("malformed signature headers", () => {
  const verifier = createVerifier({ secrets: [SECRET], now: clock() });
  const body = Buffer.from("{}");
  const good = hmacHex(SECRET, NOW_SECONDS, body);
  for (const header of [
    `v1=${good}`,
    `t=${NOW_SECONDS}`,
    `t=${NOW_SECONDS},v0=${good}`,
    `t=17e8,v1=${good}`,
    `t=abc,v1=${good}`,
    `t=${NOW_SECONDS},t=${NOW_SECONDS},v1=${good}`,
  ]) {
    const result = verifier.verify({ "webhook-id": "evt_5", "webhook-signature": header }, body);
    assert.deepEqual(result, { ok: false, reason: "malformed_header" }, header);
  }
  const spaced = { "webhook-id": "evt_5", "webhook-signature": ` t=${NOW_SECONDS} , v0=zz , v1=${good} ` };
  assert.deepEqual(verifier.verify(spaced, body), { ok: true, id: "evt_5" });
});

test("accepts exactly toleranceSeconds of age and rejects one more", () => {
  const now = clock();
  const verifier = createVerifier({ secrets: [SECRET], toleranceSeconds: 300, now });
  const edge = delivery("evt_6", "{}", { t: NOW_SECONDS - 300 });
  assert.deepEqual(verifier.verify(edge.headers, edge.body), { ok: true, id: "evt_6" });
  const old = delivery("evt_7", "{}", { t: NOW_SECONDS - 301 });
  assert.deepEqual(verifier.verify(old.headers, old.body), { ok: false, reason: "timestamp_out_of_range" });
  now.set(NOW_SECONDS + 0.5);
  const late = delivery("evt_8", "{}", { t: NOW_SECONDS - 300 });
  assert.deepEqual(verifier.verify(late.headers, late.body), { ok: false, reason: "timestamp_out_of_range" });
});

test("rejects timestamps too far in the future", () => {
  const verifier = createVerifier({ secrets: [SECRET], toleranceSeconds: 60, now: clock() });
  const skewed = delivery("evt_9", "{}", { t: NOW_SECONDS + 60 });
  assert.deepEqual(verifier.verify(skewed.headers, skewed.body), { ok: true, id: "evt_9" });
  const future = delivery("evt_10", "{}", { t: NOW_SECONDS + 3600 });
  assert.deepEqual(verifier.verify(future.headers, future.body), { ok: false, reason: "timestamp_out_of_range" });
});

test("the timestamp is checked before the signature", () => {
  const verifier = createVerifier({ secrets: [SECRET], now: clock() });
  const d = delivery("evt_11", "{}", { t: NOW_SECONDS - 3600, signatures: ["00".repeat(32)] });
  assert.deepEqual(verifier.verify(d.headers, d.body), { ok: false, reason: "timestamp_out_of_range" });
});

test("any secret and any v1 entry may match (rotation)", () => {
  const verifier = createVerifier({ secrets: ["whsec_old", "whsec_new"], now: clock() });
  const body = Buffer.from('{"id":1}');
  const byNew = delivery("evt_12", '{"id":1}', { secret: "whsec_new" });
  assert.deepEqual(verifier.verify(byNew.headers, body), { ok: true, id: "evt_12" });
  const both = delivery("evt_13", '{"id":1}', {
    signatures: [hmacHex("whsec_retired", NOW_SECONDS, body), hmacHex("whsec_old", NOW_SECONDS, body)],
  });
  assert.deepEqual(verifier.verify(both.headers, body), { ok: true, id: "evt_13" });
  const neither = delivery("evt_14", '{"id":1}', { secret: "whsec_attacker" });
  assert.deepEqual(verifier.verify(neither.headers, body), { ok: false, reason: "bad_signature" });
});

test("malformed signature values are bad signatures, not exceptions", () => {
  const verifier = createVerifier({ secrets: [SECRET], now: clock() });
  const body = Buffer.from("{}");
  const good = hmacHex(SECRET, NOW_SECONDS, body);
  for (const v1 of ["abcd", good.slice(0, 62), `${good}00`, "zz".repeat(32), ""]) {
    const d = delivery("evt_15", "{}", { signatures: [v1] });
    assert.deepEqual(verifier.verify(d.headers, body), { ok: false, reason: "bad_signature" }, v1);
  }
  const mixed = delivery("evt_15", "{}", { signatures: ["abcd", good] });
  assert.deepEqual(verifier.verify(mixed.headers, body), { ok: true, id: "evt_15" });
});

test("compares signatures with crypto.timingSafeEqual", () => {
  const verifier = createVerifier({ secrets: [SECRET], now: clock() });
  const d = delivery("evt_16", '{"a":1}');
  const before = safeCompares;
  assert.deepEqual(verifier.verify(d.headers, d.body), { ok: true, id: "evt_16" });
  assert.ok(safeCompares > before, "crypto.timingSafeEqual was not called for a valid signature");
  const forged = delivery("evt_17", '{"a":1}', { secret: "wrong" });
  const beforeForged = safeCompares;
  assert.equal(verifier.verify(forged.headers, forged.body).reason, "bad_signature");
  assert.ok(safeCompares > beforeForged, "crypto.timingSafeEqual was not called for a forged signature");
});

test("rejects a replayed delivery", () => {
  const now = clock();
  const verifier = createVerifier({ secrets: [SECRET], now });
  const d = delivery("evt_18", '{"n":1}');
  assert.equal(verifier.verify(d.headers, d.body).ok, true);
  now.set(NOW_SECONDS + 30);
  assert.deepEqual(verifier.verify(d.headers, d.body), { ok: false, reason: "replayed" });
  const resent = delivery("evt_18", '{"n":1}', { t: NOW_SECONDS + 30 });
  assert.deepEqual(verifier.verify(resent.headers, resent.body), { ok: false, reason: "replayed" });
  assert.equal(verifier.rememberedCount(), 1);
});

test("a forged delivery does not burn the id of the genuine one", () => {
  const verifier = createVerifier({ secrets: [SECRET], now: clock() });
  const forged = delivery("evt_19", '{"amount":1}', { secret: "attacker" });
  assert.equal(verifier.verify(forged.headers, forged.body).reason, "bad_signature");
  const stale = delivery("evt_19", '{"amount":1}', { t: NOW_SECONDS - 9999 });
  assert.equal(verifier.verify(stale.headers, stale.body).reason, "timestamp_out_of_range");
  assert.equal(verifier.rememberedCount(), 0);
  const genuine = delivery("evt_19", '{"amount":1}');
  assert.deepEqual(verifier.verify(genuine.headers, genuine.body), { ok: true, id: "evt_19" });
});

test("remembers a bounded number of ids and forgets the oldest", () => {
  const verifier = createVerifier({ secrets: [SECRET], maxRememberedDeliveries: 3, now: clock() });
  const deliveries = ["a", "b", "c", "d", "e"].map((id) => delivery(`evt_${id}`, `{"id":"${id}"}`));
  for (const d of deliveries) assert.equal(verifier.verify(d.headers, d.body).ok, true);
  assert.equal(verifier.rememberedCount(), 3);
  for (const d of deliveries.slice(2)) {
    assert.equal(verifier.verify(d.headers, d.body).reason, "replayed");
  }
  assert.equal(verifier.verify(deliveries[0].headers, deliveries[0].body).ok, true);
  assert.equal(verifier.rememberedCount(), 3);
});

test("many deliveries with a large memory", () => {
  const verifier = createVerifier({ secrets: [SECRET], maxRememberedDeliveries: 20000, now: clock() });
  const body = Buffer.from("{}");
  const v1 = hmacHex(SECRET, NOW_SECONDS, body);
  const signature = `t=${NOW_SECONDS},v1=${v1}`;
  for (let i = 0; i < 40000; i += 1) {
    const result = verifier.verify({ "webhook-id": `evt_bulk_${i}`, "webhook-signature": signature }, body);
    assert.equal(result.ok, true);
  }
  assert.equal(verifier.rememberedCount(), 20000);
  const replay = verifier.verify({ "webhook-id": "evt_bulk_39999", "webhook-signature": signature }, body);
  assert.equal(replay.reason, "replayed");
});

test("invalid configuration", () => {
  assert.throws(() => createVerifier({ secrets: [] }), TypeError);
  assert.throws(() => createVerifier({ secrets: "whsec" }), TypeError);
  assert.throws(() => createVerifier({ secrets: [""] }), TypeError);
  assert.throws(() => createVerifier({ secrets: [SECRET], toleranceSeconds: 0 }), RangeError);
  assert.throws(() => createVerifier({ secrets: [SECRET], maxRememberedDeliveries: 2.5 }), RangeError);
});
