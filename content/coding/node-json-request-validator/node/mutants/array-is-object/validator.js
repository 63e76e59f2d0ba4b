"use strict";

const TYPE_CHECKS = {
  object: (v) => typeof v === "object" && v !== null,
  array: (v) => Array.isArray(v),
  string: (v) => typeof v === "string",
  number: (v) => typeof v === "number" && Number.isFinite(v),
  integer: (v) => Number.isInteger(v),
  boolean: (v) => typeof v === "boolean",
  null: (v) => v === null,
};

/** RFC 6901: `~` first, otherwise the `~1` written for `/` would itself be escaped. */
function escapeToken(name) {
  return String(name).replace(/~/g, "~0").replace(/\//g, "~1");
}

function codePoints(text) {
  let count = 0;
  for (const _ of text) count += 1; // iterates code points, not UTF-16 units
  return count;
}

function checkType(schema, value, pointer, errors) {
  if (!Object.hasOwn(schema, "type")) return true;
  const check = TYPE_CHECKS[schema.type];
  if (check && check(value)) return true;
  errors.push({ pointer, keyword: "type", message: `must be ${schema.type}` });
  return false;
}

function checkEnum(schema, value, pointer, errors) {
  if (Array.isArray(schema.enum) && !schema.enum.some((allowed) => allowed === value)) {
    errors.push({ pointer, keyword: "enum", message: `must be one of ${JSON.stringify(schema.enum)}` });
  }
}

function checkBounds(size, schema, minKey, maxKey, pointer, errors) {
  if (typeof schema[minKey] === "number" && size < schema[minKey]) {
    errors.push({ pointer, keyword: minKey, message: `must be at least ${schema[minKey]}` });
  }
  if (typeof schema[maxKey] === "number" && size > schema[maxKey]) {
    errors.push({ pointer, keyword: maxKey, message: `must be at most ${schema[maxKey]}` });
  }
}

function checkObject(schema, object, pointer, errors) {
  const properties = schema.properties && typeof schema.properties === "object" ? schema.properties : {};
  for (const name of Array.isArray(schema.required) ? schema.required : []) {
    if (!Object.hasOwn(object, name)) {
      errors.push({ pointer: `${pointer}/${escapeToken(name)}`, keyword: "required", message: "is required" });
    }
  }
  for (const name of Object.keys(object)) {
    const child = `${pointer}/${escapeToken(name)}`;
    if (Object.hasOwn(properties, name)) {
      walk(properties[name], object[name], child, errors);
    } else if (schema.additionalProperties === false) {
      errors.push({ pointer: child, keyword: "additionalProperties", message: "is not allowed" });
    }
  }
}

function checkArray(schema, array, pointer, errors) {
  checkBounds(array.length, schema, "minItems", "maxItems", pointer, errors);
  if (schema.items && typeof schema.items === "object") {
    for (let i = 0; i < array.length; i += 1) walk(schema.items, array[i], `${pointer}/${i}`, errors);
  }
}

function walk(schema, value, pointer, errors) {
  if (!checkType(schema, value, pointer, errors)) return;
  checkEnum(schema, value, pointer, errors);
  if (typeof value === "string") {
    checkBounds(codePoints(value), schema, "minLength", "maxLength", pointer, errors);
  } else if (typeof value === "number") {
    checkBounds(value, schema, "minimum", "maximum", pointer, errors);
  } else if (Array.isArray(value)) {
    checkArray(schema, value, pointer, errors);
  } else if (value !== null && typeof value === "object") {
    checkObject(schema, value, pointer, errors);
  }
}

/** Every violation of `schema` by `value`; see statement.md. */
function validate(schema, value) {
  const errors = [];
  walk(schema, value, "", errors);
  return errors;
}

module.exports = { validate };
