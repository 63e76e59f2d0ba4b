"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const crypto = require("node:crypto");
const { signPayload, createVerifier } = require("../webhooks.js");

const SECRET = "whsec_sample";
const T = 1_700_000_000;
const now = () => T * 1000 + 2500; // a fake clock, 2.5 s after the delivery was signed

function delivery(id, body, t = T) {
  const v1 = crypto.createHmac("sha256", SECRET).update(`${t}.${body}`).digest("hex");
  return { headers: { "webhook-id": id, "webhook-signature": `t=${t},v1=${v1}` }, body: Buffer.from(body) };
}

test("signPayload matches the provider's signature", () => {
  const d = delivery("evt_1", '{"ok":true}');
  assert.equal(`t=${T},v1=${signPayload(SECRET, T, d.body)}`, d.headers["webhook-signature"]);
});

test("accepts a genuine delivery once", () => {
  const verifier = createVerifier({ secrets: [SECRET], now });
  const d = delivery("evt_1", '{"ok":true}');
  assert.deepEqual(verifier.verify(d.headers, d.body), { ok: true, id: "evt_1" });
  assert.deepEqual(verifier.verify(d.headers, d.body), { ok: false, reason: "replayed" });
});

test("rejects a tampered body", () => {
  const verifier = createVerifier({ secrets: [SECRET], now });
  const d = delivery("evt_2", '{"amount":100}');
  assert.deepEqual(verifier.verify(d.headers, Buffer.from('{"amount":999}')), { ok: false, reason: "bad_signature" });
});
