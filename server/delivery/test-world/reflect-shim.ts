// @peculiar/x509 registers its providers through tsyringe, which demands the Reflect metadata
// API (the `reflect-metadata` package) and throws at import without it. That package is not a
// dependency here, so this installs the few functions tsyringe calls, only when missing.
// Import it before @peculiar/x509.

type Store = Map<string | symbol | undefined, Map<unknown, unknown>>;
const stores = new WeakMap<object, Store>();

function own(target: object, property: string | symbol | undefined, create: boolean) {
  let store = stores.get(target);
  if (!store && create) {
    store = new Map();
    stores.set(target, store);
  }
  let entries = store?.get(property);
  if (!entries && create && store) {
    entries = new Map();
    store.set(property, entries);
  }
  return entries;
}

const reflect = Reflect as unknown as Record<string, unknown>;
if (typeof reflect.getMetadata !== "function") {
  const getOwnMetadata = (key: unknown, target: object, property?: string | symbol) =>
    own(target, property, false)?.get(key);
  const getMetadata = (key: unknown, target: object, property?: string | symbol): unknown => {
    for (let t: object | null = target; t; t = Object.getPrototypeOf(t)) {
      const entries = own(t, property, false);
      if (entries?.has(key)) return entries.get(key);
    }
    return undefined;
  };
  const defineMetadata = (
    key: unknown,
    value: unknown,
    target: object,
    property?: string | symbol,
  ) => own(target, property, true)?.set(key, value);
  Object.assign(reflect, {
    getOwnMetadata,
    getMetadata,
    defineMetadata,
    hasMetadata: (key: unknown, target: object, property?: string | symbol) =>
      getMetadata(key, target, property) !== undefined,
    metadata: (key: unknown, value: unknown) => (target: object, property?: string | symbol) =>
      defineMetadata(key, value, target, property),
  });
}
