// What console.log shows of the fast objects: their fields under the name of the class they stand for, as
// Node shows its own, rather than an empty object (their state is private).

/**
 * Makes `util.inspect` show instances of `type` as `name { …fields }`.
 *
 * @example
 * inspectAs(FastResponse, "Response", (response) => ({ status: response.status }));
 */
export function inspectAs<T>(type: { prototype: T }, name: string, fields: (value: T) => object): void {
  const Shown = { [name]: class {} }[name];
  Object.defineProperty(type.prototype, Symbol.for("nodejs.util.inspect.custom"), {
    value(this: T) {
      return Object.assign(new Shown(), fields(this));
    },
  });
}
