import type { Invocation } from "../../src/jmap/protocol";
import { invalidResultReference, MethodFailure } from "./errors";

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

class PathNotFound extends Error {}

/** RFC 8620 §3.7: a JSON Pointer where "*" maps over an array and flattens the results. */
export function evaluatePointer(value: unknown, path: string): unknown {
  if (path === "") return value;
  if (!path.startsWith("/")) throw new PathNotFound(path);
  const [head = "", ...rest] = path.slice(1).split("/");
  const token = head.replaceAll("~1", "/").replaceAll("~0", "~");
  const restPath = rest.length > 0 ? `/${rest.join("/")}` : "";
  if (token === "*" && Array.isArray(value)) {
    return value.flatMap((item) => {
      const result = evaluatePointer(item, restPath);
      return Array.isArray(result) ? result : [result];
    });
  }
  if (Array.isArray(value)) {
    const index = Number(token);
    if (!/^\d+$/.test(token) || index >= value.length) throw new PathNotFound(path);
    return evaluatePointer(value[index], restPath);
  }
  if (isObject(value) && Object.hasOwn(value, token))
    return evaluatePointer(value[token], restPath);
  throw new PathNotFound(path);
}

/**
 * Replaces every `#name` argument with the referenced result (RFC 8620 §3.7). The arguments
 * come back as an object without a prototype, so no key of the request can reach one.
 */
export function resolveReferences(
  args: Record<string, unknown>,
  previous: Invocation[],
): Record<string, unknown> {
  const resolved: Record<string, unknown> = Object.create(null);
  for (const [key, value] of Object.entries(args)) {
    if (!key.startsWith("#")) {
      resolved[key] = value;
      continue;
    }
    const name = key.slice(1);
    if (Object.hasOwn(args, name)) {
      throw new MethodFailure("invalidArguments", `Both ${name} and #${name} were given.`);
    }
    if (
      !isObject(value) ||
      typeof value.resultOf !== "string" ||
      typeof value.name !== "string" ||
      typeof value.path !== "string"
    ) {
      throw new MethodFailure("invalidResultReference", `#${name} is not a result reference.`);
    }
    const source = previous.find(([, , callId]) => callId === value.resultOf);
    // Only the answers of /get, /query and /changes can be referred to, as on Stalwart.
    if (!source || source[0] !== value.name || !/\/(get|query|changes)$/.test(source[0])) {
      throw invalidResultReference(value.resultOf, value.name);
    }
    try {
      resolved[name] = evaluatePointer(source[1], value.path);
    } catch (error) {
      if (error instanceof PathNotFound) throw invalidResultReference(value.resultOf, value.name);
      throw error;
    }
  }
  return resolved;
}
