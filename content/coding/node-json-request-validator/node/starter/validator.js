"use strict";

/** Every violation of `schema` by `value`; see statement.md. */
function validate(schema, value) {
  throw new Error("not implemented");
}

module.exports = { validate };
