-- pgbench script of benches/pg/run's writer: one new customer per
-- transaction (a single statement, so autocommit commits it at once),
-- made by the same generator as the table, created today. The row's
-- `inserted_at` (a column default clock_timestamp()) is the time the
-- latency is measured from. The number comes from a CTE, not as the
-- function's argument: a volatile argument (nextval) keeps PostgreSQL from
-- inlining the generator, which then plans its query for every row.
WITH s AS (SELECT nextval('bench_gen.new_ids') AS n) INSERT INTO customers SELECT c.* FROM s, LATERAL bench_gen.customer_fields(s.n, to_char(current_date, 'YYYY-MM-DD')) c;
