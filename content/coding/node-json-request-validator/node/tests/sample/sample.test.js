"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { validate } = require("../validator.js");

const schema = {
  type: "object",
  required: ["email"],
  properties: { email: { type: "string", minLength: 3 }, age: { type: "integer", minimum: 0 } },
};

const sorted = (errors) => errors.map((e) => `${e.pointer} ${e.keyword}`).sort();

test("valid body", () => {
  assert.deepEqual(validate(schema, { email: "a@b.c", age: 30 }), []);
});

test("all errors with pointers", () => {
  assert.deepEqual(sorted(validate(schema, { age: -1 })), ["/age minimum", "/email required"]);
  assert.deepEqual(sorted(validate(schema, { email: 7, age: "x" })), ["/age type", "/email type"]);
  assert.deepEqual(sorted(validate(schema, "hello")), [" type"]);
});
