// A service's store outside the host (its seed script, a rebuild script, a test reading what it
// stored): opened as the host opens it, the service's collections registered, their indexes ensured.
import { AggregateStore } from "@lto/store";

export async function openServiceStore<C>(
  opts: { name: string; url: string; dbName: string },
  register: (store: AggregateStore) => C,
): Promise<{ store: AggregateStore; collections: C }> {
  const store = await AggregateStore.open({
    url: opts.url,
    dbName: opts.dbName,
    appName: `lto-${opts.name}`,
  });
  try {
    const collections = register(store);
    await store.ensureIndexes();
    return { store, collections };
  } catch (err) {
    await store.close();
    throw err;
  }
}
