/**
 * Records keyed by untrusted names (header, cookie and query names, XML element names, JSON members).
 *
 * A plain `{}` inherits from Object.prototype, so a name such as `__proto__`, `constructor` or
 * `toString` is not an ordinary key there: reading it finds something that was never set, and writing
 * `__proto__` changes the object's prototype (or, through an inherited object, Object.prototype for the
 * whole process). The records made here have no prototype, and the helpers read and write own keys
 * only, so every name behaves as any other. The rule (docs/security.md, "Untrusted names"): a name that
 * came from outside edgelite is a key only of a Map or of a record from this module.
 *
 * A leaf module: it imports nothing, so every layer (runtime and store included) may use it.
 */

/** A new record with no prototype: `__proto__`, `constructor` and the like are plain keys in it. */
export function emptyRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** Whether `name` is an own key of `record` (never an inherited one). */
export function hasOwn(record: object, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(record, name);
}

/** The value of an own key, or undefined: nothing is ever read through the prototype chain. */
export function getOwn<T>(record: Readonly<Record<string, T>>, name: string): T | undefined {
  return hasOwn(record, name) ? record[name] : undefined;
}

/**
 * Sets an own, enumerable key as a data property (Object.defineProperty semantics): `__proto__` becomes a
 * plain key even on an ordinary object, and no setter anywhere on the prototype chain runs. On a record
 * without a prototype a plain assignment does exactly that (there is no chain), and costs a third.
 */
export function setOwn<T>(record: Record<string, T>, name: string, value: T): void {
  if (Object.getPrototypeOf(record) === null) record[name] = value;
  else Object.defineProperty(record, name, { value, writable: true, enumerable: true, configurable: true });
}

/** A copy of an object's own enumerable string keys into a record with no prototype (shallow). */
export function recordOf<T>(object: Readonly<Record<string, T>>): Record<string, T> {
  const record = emptyRecord<T>();
  for (const name of Object.keys(object)) setOwn(record, name, object[name] as T);
  return record;
}
