"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { validate } = require("../validator.js");

function errorsOf(schema, value) {
  const errors = validate(schema, value);
  assert.ok(Array.isArray(errors), "validate must return an array");
  return errors
    .map(({ pointer, keyword }) => `${pointer} ${keyword}`)
    .sort();
}

function expected(...lines) {
  return [...lines].sort();
}

const orderSchema = {
  type: "object",
  required: ["customer", "items"],
  additionalProperties: false,
  properties: {
    customer: {
      type: "object",
      required: ["email"],
      properties: { email: { type: "string", minLength: 3 } },
    },
    items: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        required: ["sku", "qty"],
        properties: { sku: { type: "string" }, qty: { type: "integer", minimum: 1, maximum: 99 } },
      },
    },
    currency: { enum: ["EUR", "USD"] },
  },
};

test("a valid body has no errors", () => {
  const body = { customer: { email: "ana@example.com" }, items: [{ sku: "A1", qty: 1 }], currency: "EUR" };
  assert.deepEqual(validate(orderSchema, body), []);
  assert.deepEqual(validate({}, { anything: [1, "two", null] }), []);
});

test("reports every error in the order example", () => {
  const body = { customer: {}, items: [{ sku: "A1", qty: 0 }, { qty: 2.5 }], currency: "GBP", coupon: "X" };
  assert.deepEqual(
    errorsOf(orderSchema, body),
    expected(
      "/customer/email required",
      "/items/0/qty minimum",
      "/items/1/sku required",
      "/items/1/qty type",
      "/currency enum",
      "/coupon additionalProperties",
    ),
  );
});

test("every type name", () => {
  const cases = [
    ["object", {}, [[], null, "x"]],
    ["array", [], [{}, "[]", null]],
    ["string", "", [1, null, ["a"]]],
    ["number", 1.5, ["1", NaN, Infinity, null]],
    ["integer", -3, [1.5, "3", NaN]],
    ["boolean", false, [0, "true", null]],
    ["null", null, [0, "", {}, false]],
  ];
  for (const [type, good, bads] of cases) {
    assert.deepEqual(errorsOf({ type }, good), [], `${type} accepts ${JSON.stringify(good)}`);
    for (const bad of bads) {
      assert.deepEqual(errorsOf({ type }, bad), [" type"], `${type} rejects ${String(bad)}`);
    }
  }
});

test("arrays are not objects", () => {
  const schema = { type: "object", required: ["0"], properties: { 0: { type: "string" } } };
  assert.deepEqual(errorsOf(schema, ["x"]), [" type"]);
  assert.deepEqual(errorsOf({ properties: { page: { type: "object" } } }, { page: [1, 2] }), ["/page type"]);
  // with no type, object keywords say nothing about an array
  assert.deepEqual(errorsOf({ required: ["a"], additionalProperties: false }, [1]), []);
});

test("a type error hides the other keywords of that value", () => {
  const schema = {
    type: "object",
    properties: {
      tags: { type: "array", minItems: 2, items: { type: "string" } },
      name: { type: "string", minLength: 2, enum: ["ab"] },
      nested: { type: "object", required: ["x"], properties: { x: { type: "string" } } },
    },
  };
  assert.deepEqual(
    errorsOf(schema, { tags: "a,b", name: 5, nested: [{ x: 1 }] }),
    expected("/tags type", "/name type", "/nested type"),
  );
});

test("keywords that do not apply to the value are ignored", () => {
  const schema = { minLength: 2, maximum: 3, minItems: 5, required: ["x"], items: { type: "string" } };
  assert.deepEqual(errorsOf(schema, 10), [" maximum"]);
  assert.deepEqual(errorsOf(schema, "a"), [" minLength"]);
  assert.deepEqual(errorsOf(schema, [1]), expected(" minItems", "/0 type"));
  assert.deepEqual(errorsOf(schema, {}), ["/x required"]);
  assert.deepEqual(errorsOf(schema, null), []);
});

test("several failing keywords of one value are all reported", () => {
  const schema = { type: "string", minLength: 4, enum: ["EUR", "USD"] };
  assert.deepEqual(errorsOf(schema, "GB"), expected(" minLength", " enum"));
  assert.deepEqual(errorsOf({ type: "array", maxItems: 1, items: { maximum: 1 } }, [1, 2, 3]), expected(" maxItems", "/1 maximum", "/2 maximum"));
});

test("bounds are inclusive", () => {
  const schema = {
    type: "object",
    properties: {
      qty: { type: "integer", minimum: 1, maximum: 3 },
      code: { type: "string", minLength: 2, maxLength: 3 },
      lines: { type: "array", minItems: 1, maxItems: 2 },
    },
  };
  assert.deepEqual(errorsOf(schema, { qty: 1, code: "ab", lines: [1] }), []);
  assert.deepEqual(errorsOf(schema, { qty: 3, code: "abc", lines: [1, 2] }), []);
  assert.deepEqual(
    errorsOf(schema, { qty: 4, code: "abcd", lines: [] }),
    expected("/qty maximum", "/code maxLength", "/lines minItems"),
  );
  assert.deepEqual(
    errorsOf(schema, { qty: 0, code: "a", lines: [1, 2, 3] }),
    expected("/qty minimum", "/code minLength", "/lines maxItems"),
  );
});

test("string lengths count code points", () => {
  const schema = { type: "string", minLength: 2, maxLength: 3 };
  assert.deepEqual(errorsOf(schema, "\u{1F44D}\u{1F44D}\u{1F44D}"), []); // 3 code points, 6 UTF-16 units
  assert.deepEqual(errorsOf(schema, "\u{1F44D}"), [" minLength"]); // 1 code point, 2 units
  assert.deepEqual(errorsOf(schema, "a\u{1F600}b\u{1F600}"), [" maxLength"]);
});

test("enum compares with strict equality", () => {
  const schema = { enum: ["1", 2, null, true] };
  for (const ok of ["1", 2, null, true]) assert.deepEqual(errorsOf(schema, ok), []);
  for (const bad of [1, "2", false, "null", undefined]) assert.deepEqual(errorsOf(schema, bad), [" enum"]);
});

test("pointers escape tilde and slash", () => {
  const schema = {
    type: "object",
    additionalProperties: false,
    required: ["a/b", "m~n"],
    properties: {
      "a/b": { type: "object", properties: { "c~d": { type: "string" } } },
      "m~n": {},
    },
  };
  assert.deepEqual(
    errorsOf(schema, { "a/b": { "c~d": 1 }, "~/": true }),
    expected("/a~1b/c~0d type", "/m~0n required", "/~0~1 additionalProperties"),
  );
});

test("required errors point at each missing property", () => {
  const schema = {
    type: "object",
    required: ["id", "address"],
    properties: { address: { type: "object", required: ["street", "city", "zip"] } },
  };
  assert.deepEqual(errorsOf(schema, {}), expected("/id required", "/address required"));
  assert.deepEqual(
    errorsOf(schema, { id: 1, address: { city: "Oslo" } }),
    expected("/address/street required", "/address/zip required"),
  );
  // present with a null value is present
  assert.deepEqual(errorsOf(schema, { id: null, address: { street: null, city: null, zip: null } }), []);
});

test("inherited names are neither present nor declared", () => {
  const schema = {
    type: "object",
    required: ["toString", "name"],
    additionalProperties: false,
    properties: { name: { type: "string" }, toString: {} },
  };
  assert.deepEqual(errorsOf(schema, { name: "x" }), ["/toString required"]);
  const strict = { type: "object", additionalProperties: false, properties: { name: { type: "string" } } };
  const body = JSON.parse('{"name":"x","constructor":{"prototype":1},"__proto__":{"admin":true},"hasOwnProperty":0}');
  assert.deepEqual(
    errorsOf(strict, body),
    expected("/constructor additionalProperties", "/__proto__ additionalProperties", "/hasOwnProperty additionalProperties"),
  );
});

test("deeply nested arrays of objects", () => {
  const schema = {
    type: "array",
    items: { type: "object", properties: { rows: { type: "array", items: { type: "array", items: { type: "integer" } } } } },
  };
  assert.deepEqual(
    errorsOf(schema, [{ rows: [[1, 2], [3, "4"]] }, { rows: [[], [null]] }]),
    expected("/0/rows/1/1 type", "/1/rows/1/0 type"),
  );
});

test("a large body", () => {
  const schema = {
    type: "object",
    properties: {
      events: {
        type: "array",
        items: { type: "object", required: ["id", "kind"], properties: { id: { type: "integer", minimum: 0 }, kind: { enum: ["a", "b"] } } },
      },
    },
  };
  const events = Array.from({ length: 100000 }, (_, i) => ({ id: i, kind: i % 2 ? "a" : "b" }));
  events[500] = { id: -1, kind: "a" };
  events[99999] = { id: 99999 };
  assert.deepEqual(errorsOf(schema, { events }), expected("/events/500/id minimum", "/events/99999/kind required"));
});
