import { preparePostgresDatabase } from "./tests/support/postgres";
for (const n of [100_000, 1_000_000]) {
  const t = Date.now();
  await preparePostgresDatabase(`stylist_bench_${n}`, n);
  console.log(`seeded ${n} in ${Date.now() - t} ms`);
}
