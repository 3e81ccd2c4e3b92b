-- Generated customers for benches/pg/run, made server-side.
--
--   psql -v rows=1000000 -f customers.sql
--
-- Creates `customers` (the columns of examples/customers.csv, all text,
-- primary key id) and fills it with :rows customers; the schema
-- `bench_gen` keeps the generator, so the watch bench's writer inserts
-- more of the same kind (`bench_gen.customer(n)` for n past :rows).
--
-- Every value is a hash of the row number (hashint8extended), so a row
-- count gives the same table on every run and in any order. The data is
-- meant to be unfriendly: countries skewed to NL/BE/DE with a long tail
-- (some lower case, padded or unknown), VAT numbers on ~30 % of the rows
-- in the forms people type (spaces, dots, lower case, no prefix, a typo,
-- blank strings), names and streets in many scripts, postcodes per
-- country, skewed turnover and order counts, a few stored classes and
-- groups, and about one row in a thousand the door must reject (an
-- unknown country, a turnover written with a decimal comma, a class value
-- the setup doesn't have).

\set ON_ERROR_STOP on
SET jit = off;
SET client_min_messages = warning;

DROP SCHEMA IF EXISTS bench_gen CASCADE;
CREATE SCHEMA bench_gen;

-- A uniform number in [0, 1) for row i and stream s.
CREATE FUNCTION bench_gen.u(i bigint, s int) RETURNS float8
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT ((hashint8extended(i, s) >> 11) & 9007199254740991)::float8 / 9007199254740992.0 $$;

-- One of `pool` (weights are repetitions), picked by u in [0, 1).
CREATE FUNCTION bench_gen.pick(pool text[], u float8) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT pool[1 + floor(u * cardinality(pool))::int] $$;

-- `(value, weight)` pairs as a pool for pick().
CREATE FUNCTION bench_gen.pool(pairs text[][]) RETURNS text[]
  LANGUAGE sql IMMUTABLE
  AS $$ SELECT array_agg(p[1] ORDER BY n, k)
        FROM (SELECT pairs[n][1] AS v, pairs[n][2]::int AS w, n FROM generate_subscripts(pairs, 1) n) x,
             LATERAL (SELECT ARRAY[x.v] AS p) y, generate_series(1, x.w) k $$;

-- A VAT number with valid check digits for NL (mod 11), BE (mod 97) and
-- DE (ISO 7064 mod 11,10); for other countries the prefix and digits of
-- the right length, check digits not computed (most fail the check, as
-- they would in a real file where nobody validated them).
CREATE FUNCTION bench_gen.vat(country text, n bigint) RETURNS text
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  d text;
  s int := 0;
  p int := 10;
  k int;
  c int;
BEGIN
  IF country = 'NL' THEN
    d := lpad((n % 100000000)::text, 8, '0');
    FOR k IN 1..8 LOOP s := s + (10 - k) * substr(d, k, 1)::int; END LOOP;
    c := s % 11;
    IF c = 10 THEN  -- bump the last digit: the sum grows by 2
      d := substr(d, 1, 7) || ((substr(d, 8, 1)::int + 1) % 10)::text;
      s := 0;
      FOR k IN 1..8 LOOP s := s + (10 - k) * substr(d, k, 1)::int; END LOOP;
      c := s % 11;
      IF c = 10 THEN d := '10000000'; c := 9 * 1 % 11; END IF;
    END IF;
    RETURN 'NL' || d || c::text || 'B' || lpad((1 + n % 3)::text, 2, '0');
  ELSIF country = 'BE' THEN
    d := '0' || lpad((1000000 + n % 9000000)::text, 7, '0');
    RETURN 'BE' || d || lpad((97 - d::bigint % 97)::text, 2, '0');
  ELSIF country = 'DE' THEN
    d := (10000000 + n % 90000000)::text;
    FOR k IN 1..8 LOOP
      s := (substr(d, k, 1)::int + p) % 10;
      IF s = 0 THEN s := 10; END IF;
      p := (2 * s) % 11;
    END LOOP;
    c := 11 - p;
    IF c = 10 THEN c := 0; END IF;
    RETURN 'DE' || d || c::text;
  ELSIF country = 'GR' THEN
    RETURN 'EL' || lpad((n % 1000000000)::text, 9, '0');
  ELSIF country = 'AT' THEN
    RETURN 'ATU' || lpad((n % 100000000)::text, 8, '0');
  ELSIF country = 'FR' THEN
    RETURN 'FR' || lpad((n % 100)::text, 2, '0') || lpad((n % 1000000000)::text, 9, '0');
  ELSIF country = 'GB' THEN
    RETURN 'GB' || lpad((n % 1000000000)::text, 9, '0');
  ELSE
    RETURN country || lpad((n % 10000000000)::text, 10, '0');
  END IF;
END $$;

CREATE TABLE bench_gen.pools AS SELECT
  bench_gen.pool('{{NL,350},{BE,150},{DE,150},{FR,40},{DK,30},{GB,30},{AT,20},{SE,20},{IT,20},{ES,20},
                   {PL,20},{US,20},{CH,15},{LU,10},{FI,10},{NO,10},{IE,10},{PT,10},{CZ,10},{GR,5},{HU,5},
                   {RO,5},{CA,5},{SK,4},{BG,3},{HR,3},{SI,3},{TR,3},{AU,3},{EE,2},{LV,2},{LT,2},{CN,2},
                   {JP,2},{CY,1},{MT,1},{IS,1},{ZA,1},{BR,1},{IN,1},{AE,1},{MA,1}}'::text[][]) AS country,
  bench_gen.pool('{{webshop,450},{pos,250},{manual,150},{import,100},{api,45},{marketplace,4},{"Webshop ",1}}'::text[][]) AS channel,
  bench_gen.pool('{{shopify,30},{lightspeed,23},{woocommerce,20},{magento,8},{exact-online,8},{bol,5},{"",6}}'::text[][]) AS connector,
  bench_gen.pool('{{automotive,45},{trade,20},{construction,15},{hospitality,12},{public,8}}'::text[][]) AS sector,
  bench_gen.pool('{{company,72},{sole_trader,18},{government,9},{association,1}}'::text[][]) AS business_type,
  bench_gen.pool('{{google,27},{referral,15},{marketplace,15},{newsletter,8},{fair,7},{"",28}}'::text[][]) AS source,
  bench_gen.pool('{{PREPAID,34},{NET30,18},{NET14,14},{NET8,3},{"",31}}'::text[][]) AS payment_terms,
  bench_gen.pool('{{1-9,40},{10-49,30},{50-249,15},{250+,8},{"",7}}'::text[][]) AS company_size,
  ARRAY['Joost','Emre','Daniëlle','Zoë','Søren','Björn','Łukasz','François','Ayşe','Jürgen','Renée','Mikkel',
        'Ørjan','Šimon','Gülşen','Thị Hương','Chloé','Noël','Ioana','Agnieszka','Sven','Annelies','Mohammed',
        'Fatima','Jan','Marieke','Thomas','Sophie','Lars','Ingrid','Pieter','Anja','Håkon','Ελένη','Дмитрий',
        '李娜','민준','José','Inês','Bjørn','Ólafur','Nuño'] AS first_name,
  ARRAY['de Vries','van der Linden','Jansen','Peeters','Müller','Schröder','Nielsen','Kowalski','Dubois',
        'Öztürk','Hendriks','Mulder','Claeys','Van de Velde','Schäfer','Andersson','Lindqvist','Dvořák',
        'García Núñez','O''Brien','Nguyễn','Papadopoulos','Smith','Wiśniewski','Østergaard','d''Hondt',
        'Janssens','Fischer','Weiß','Kuipers','Bakker','Rasmussen','Łęcki','Gonçalves','Å','Đorđević'] AS last_name,
  ARRAY['Autoservice','Garage','Autohaus','Car Parts','Bandenservice','Techniek','Handel','Bouw','Café',
        'Gemeente','Fleet Services','Carrosserie','Tweewielers','Motors','Reifen','Werkstatt'] AS business_word,
  ARRAY[' B.V.',' BV',' GmbH',' NV',' BVBA',' SRL',' ApS',' A/S',' Ltd',' Sp. z o.o.',' S.A.',' AB',' e.K.',''] AS legal_form,
  ARRAY['Amsterdam','Rotterdam','Den Haag','Utrecht','Eindhoven','Tilburg','Groningen','Antwerpen','Gent',
        'Brussel','Liège','Berlin','München','Köln','Düsseldorf','København','Århus','Malmö','Paris','Wien',
        'Zürich','Kraków','Łódź','Lisboa','Sevilla','Reykjavík','İstanbul','New York','Toronto','Tokyo'] AS city,
  ARRAY['Hoofdstraat','Kerkstraat','Dorpsstraat','Stationsweg','Industrieweg','Rue de la Gare','Hauptstraße',
        'Bahnhofstraße','Nørregade','Storgatan','High Street','ul. Długa','Avenida da Liberdade','Marktplein',
        'Schönhauser Allee','Ålesundsgata','Via Roma','Kirkegårdsvej'] AS street,
  ARRAY['gmail.com','hotmail.com','outlook.com','home.nl','ziggo.nl','telenet.be','web.de','gmx.de',
        'mail.dk','yahoo.co.uk','example.com','kpnmail.nl','orange.fr','wp.pl'] AS mail_domain;

-- Customer number n as a row of `customers` (created_at given, or drawn).
CREATE FUNCTION bench_gen.customer_fields(n bigint, created text DEFAULT NULL)
RETURNS TABLE (
  id text, name text, attention text, email text, email_quote text, email_order text, email_invoice text,
  email_credit_note text, email_statement text, street text, postcode text, city text, country text,
  delivery_street text, delivery_postcode text, delivery_city text, delivery_country text, phone text,
  phone2 text, mobile text, fax text, vat_number text, ean text, currency text, vat_zone text,
  payment_terms text, credit_limit text, channel text, connector text, sector text, subsector text,
  company_size text, business_type text, source text, class1 text, class2 text, class3 text, class4 text,
  class5 text, class6 text, class7 text, class8 text, type text, "group" text, price_group text,
  receivables_account text, revenue_account text, created_at text, anonymised text,
  "attr.turnover_12m" text, "attr.orders_12m" text)
LANGUAGE sql STABLE AS $fn$
SELECT
  -- ids: mostly numbers not in order, some with a web prefix
  CASE WHEN bench_gen.u(n, 1) < 0.9 THEN (1000000 + n * 7 + (n % 7))::text
       ELSE 'WEB-' || upper(to_hex(n)) || '-' || substr(md5(n::text), 1, 4) END,
  CASE WHEN bench_gen.u(n, 2) < 0.02 THEN NULL
       WHEN bench_gen.u(n, 2) < 0.03 THEN ''
       WHEN b.business THEN bench_gen.pick(p.last_name, bench_gen.u(n, 3)) || ' ' || bench_gen.pick(p.business_word, bench_gen.u(n, 4))
                            || bench_gen.pick(p.legal_form, bench_gen.u(n, 5))
       WHEN bench_gen.u(n, 2) < 0.05 THEN upper(b.first || ' ' || b.last)
       WHEN bench_gen.u(n, 2) < 0.07 THEN '  ' || b.first || '  ' || b.last || ' '
       ELSE b.first || ' ' || b.last END,
  CASE WHEN b.business AND bench_gen.u(n, 6) < 0.6 THEN b.first || ' ' || b.last END,
  CASE WHEN bench_gen.u(n, 7) < 0.04 THEN NULL WHEN bench_gen.u(n, 7) < 0.05 THEN ''
       WHEN bench_gen.u(n, 7) < 0.07 THEN upper(lower(b.first) || '.' || n || '@' || bench_gen.pick(p.mail_domain, bench_gen.u(n, 8)))
       ELSE lower(replace(b.first || '.' || b.last, ' ', '')) || n || '@' || bench_gen.pick(p.mail_domain, bench_gen.u(n, 8)) END,
  CASE WHEN b.business AND bench_gen.u(n, 9) < 0.03 THEN 'quotes' || n || '@example.com' END,
  CASE WHEN b.business AND bench_gen.u(n, 9) < 0.06 THEN 'orders' || n || '@example.com' END,
  CASE WHEN b.business AND bench_gen.u(n, 9) < 0.30 THEN 'invoices' || n || '@example.com' END,
  CASE WHEN b.business AND bench_gen.u(n, 9) < 0.02 THEN 'credit' || n || '@example.com' END,
  CASE WHEN b.business AND bench_gen.u(n, 9) < 0.04 THEN 'statements' || n || '@example.com' END,
  CASE WHEN bench_gen.u(n, 10) < 0.01 THEN NULL ELSE bench_gen.pick(p.street, bench_gen.u(n, 11)) || ' ' || (1 + floor(bench_gen.u(n, 12) * 250))::int
       || CASE WHEN bench_gen.u(n, 12) < 0.05 THEN '-' || (1 + floor(bench_gen.u(n, 13) * 3))::int ELSE '' END END,
  CASE WHEN bench_gen.u(n, 14) < 0.03 THEN NULL
       WHEN b.iso = 'NL' AND bench_gen.u(n, 14) < 0.05 THEN (1000 + floor(bench_gen.u(n, 15) * 8999))::int || lower(chr(65 + floor(bench_gen.u(n, 16) * 26)::int) || chr(65 + floor(bench_gen.u(n, 17) * 26)::int))
       WHEN b.iso = 'NL' THEN (1000 + floor(bench_gen.u(n, 15) * 8999))::int || ' ' || chr(65 + floor(bench_gen.u(n, 16) * 26)::int) || chr(65 + floor(bench_gen.u(n, 17) * 26)::int)
       WHEN b.iso IN ('BE', 'AT', 'DK', 'CH', 'NO', 'LU', 'HU', 'SI', 'CY', 'AU', 'ZA') THEN (1000 + floor(bench_gen.u(n, 15) * 8999))::int::text
       WHEN b.iso = 'GB' THEN chr(65 + floor(bench_gen.u(n, 16) * 26)::int) || chr(65 + floor(bench_gen.u(n, 17) * 26)::int) || (1 + floor(bench_gen.u(n, 15) * 20))::int
                              || ' ' || (1 + floor(bench_gen.u(n, 18) * 9))::int || chr(65 + floor(bench_gen.u(n, 16) * 26)::int) || chr(66 + floor(bench_gen.u(n, 17) * 24)::int)
       WHEN b.iso = 'PL' THEN lpad(floor(bench_gen.u(n, 15) * 100)::int::text, 2, '0') || '-' || lpad(floor(bench_gen.u(n, 18) * 1000)::int::text, 3, '0')
       ELSE lpad(floor(bench_gen.u(n, 15) * 100000)::int::text, 5, '0') END,
  CASE WHEN bench_gen.u(n, 19) < 0.02 THEN NULL ELSE bench_gen.pick(p.city, bench_gen.u(n, 20)) END,
  CASE WHEN bench_gen.u(n, 21) < 0.01 THEN lower(b.iso)
       WHEN bench_gen.u(n, 21) < 0.015 THEN ' ' || b.iso || ' '
       ELSE b.iso END,
  CASE WHEN bench_gen.u(n, 22) < 0.04 THEN bench_gen.pick(p.street, bench_gen.u(n, 23)) || ' ' || (1 + floor(bench_gen.u(n, 24) * 99))::int END,
  CASE WHEN bench_gen.u(n, 22) < 0.04 THEN (1000 + floor(bench_gen.u(n, 25) * 8999))::int::text END,
  CASE WHEN bench_gen.u(n, 22) < 0.04 THEN bench_gen.pick(p.city, bench_gen.u(n, 26)) END,
  CASE WHEN bench_gen.u(n, 22) < 0.04 THEN CASE WHEN bench_gen.u(n, 27) < 0.8 THEN b.iso ELSE bench_gen.pick(p.country, bench_gen.u(n, 28)) END END,
  CASE WHEN bench_gen.u(n, 29) < 0.7 THEN '+' || (30 + floor(bench_gen.u(n, 30) * 20))::int || (600000000 + floor(bench_gen.u(n, 31) * 99999999))::bigint END,
  CASE WHEN bench_gen.u(n, 29) < 0.025 THEN '+' || (30 + floor(bench_gen.u(n, 30) * 20))::int || (100000000 + floor(bench_gen.u(n, 32) * 99999999))::bigint END,
  CASE WHEN bench_gen.u(n, 33) < 0.4 THEN '+' || (30 + floor(bench_gen.u(n, 30) * 20))::int || (600000000 + floor(bench_gen.u(n, 34) * 99999999))::bigint END,
  CASE WHEN b.business AND bench_gen.u(n, 35) < 0.03 THEN '+' || (30 + floor(bench_gen.u(n, 30) * 20))::int || (100000000 + floor(bench_gen.u(n, 36) * 99999999))::bigint END,
  -- VAT numbers: most businesses and a few consumers; written as people type them
  CASE WHEN NOT (b.business AND bench_gen.u(n, 37) < 0.84 OR bench_gen.u(n, 37) < 0.015) THEN
         CASE WHEN bench_gen.u(n, 38) < 0.03 THEN '' END
       WHEN bench_gen.u(n, 38) < 0.03 THEN ''
       WHEN bench_gen.u(n, 38) < 0.05 THEN left(b.vat, 4) || substr(b.vat, 6, 1) || substr(b.vat, 5, 1) || substr(b.vat, 7)
       WHEN bench_gen.u(n, 38) < 0.10 THEN lower(b.vat)
       WHEN bench_gen.u(n, 38) < 0.18 THEN substr(b.vat, 1, 2) || ' ' || substr(b.vat, 3, 4) || '.' || substr(b.vat, 7, 2) || '.' || substr(b.vat, 9)
       WHEN bench_gen.u(n, 38) < 0.22 THEN substr(b.vat, 3)
       ELSE b.vat END,
  CASE WHEN b.business AND bench_gen.u(n, 39) < 0.07 THEN (4000000000000 + floor(bench_gen.u(n, 40) * 999999999999))::bigint::text END,
  CASE b.iso WHEN 'DK' THEN 'DKK' WHEN 'GB' THEN 'GBP' WHEN 'US' THEN 'USD' WHEN 'SE' THEN 'SEK'
             WHEN 'PL' THEN 'PLN' WHEN 'CH' THEN 'CHF' WHEN 'NO' THEN 'NOK' WHEN 'CA' THEN 'CAD'
             ELSE CASE WHEN bench_gen.u(n, 41) < 0.02 THEN 'eur' ELSE 'EUR' END END,
  CASE WHEN bench_gen.u(n, 42) < 0.001 THEN 'domestic_exempt' END,
  NULLIF(bench_gen.pick(p.payment_terms, bench_gen.u(n, 43)), ''),
  CASE WHEN b.business AND bench_gen.u(n, 44) < 0.7 THEN (ARRAY['1000.00','2500.00','5000.00','10000.00','15000.00','50000.00'])[1 + floor(bench_gen.u(n, 45) * 6)::int] END,
  CASE WHEN bench_gen.u(n, 46) < 0.01 THEN NULL ELSE bench_gen.pick(p.channel, bench_gen.u(n, 47)) END,
  NULLIF(bench_gen.pick(p.connector, bench_gen.u(n, 48)), ''),
  CASE WHEN b.business AND bench_gen.u(n, 49) < 0.9 OR bench_gen.u(n, 49) < 0.02 THEN bench_gen.pick(p.sector, bench_gen.u(n, 50)) END,
  CASE WHEN b.business AND bench_gen.u(n, 49) < 0.5 THEN (ARRAY['car repair','fleet','restaurant','tyres','parts wholesale','municipality','bicycles'])[1 + floor(bench_gen.u(n, 51) * 7)::int] END,
  CASE WHEN b.business THEN NULLIF(bench_gen.pick(p.company_size, bench_gen.u(n, 52)), '') END,
  CASE WHEN b.business AND bench_gen.u(n, 53) < 0.01 THEN '' WHEN b.business THEN bench_gen.pick(p.business_type, bench_gen.u(n, 54)) END,
  NULLIF(bench_gen.pick(p.source, bench_gen.u(n, 55)), ''),
  NULL, NULL, NULL, NULL,
  -- a few stored loyalty classes; one in 20,000 a value the setup lacks
  CASE WHEN bench_gen.u(n, 56) < 0.00005 THEN 'PLATINUM' WHEN bench_gen.u(n, 56) < 0.02 THEN 'GOLD' WHEN bench_gen.u(n, 56) < 0.05 THEN 'SILVER' END,
  NULL, NULL, NULL,
  NULL,
  -- a few stored groups, of the customer's kind (not always of its type)
  CASE WHEN NOT b.business THEN CASE WHEN bench_gen.u(n, 57) < 0.01 THEN 'WEBSHOP' WHEN bench_gen.u(n, 57) < 0.02 THEN 'STANDARD' END
       WHEN bench_gen.u(n, 57) < 0.015 THEN 'DOMESTIC' WHEN bench_gen.u(n, 57) < 0.024 THEN 'EU'
       WHEN bench_gen.u(n, 57) < 0.03 THEN 'OVERSEAS' END,
  CASE WHEN bench_gen.u(n, 58) < 0.007 THEN 'KEY' END,
  CASE WHEN bench_gen.u(n, 59) < 0.003 THEN '1399' END,
  NULL,
  coalesce(created, CASE WHEN bench_gen.u(n, 60) < 0.01 THEN NULL
       ELSE to_char(date '2026-12-01' - floor(power(bench_gen.u(n, 61), 2.2) * 4000)::int, 'YYYY-MM-DD') END),
  CASE WHEN bench_gen.u(n, 62) < 0.005 THEN 'true' ELSE 'false' END,
  -- turnover: log-normal, a tenth unknown, a tenth zero; businesses larger
  CASE WHEN bench_gen.u(n, 63) < 0.10 THEN NULL
       WHEN bench_gen.u(n, 63) < 0.20 THEN '0.00'
       WHEN bench_gen.u(n, 63) < 0.2003 THEN replace(to_char(b.turnover, 'FM9999999990.00'), '.', ',')
       ELSE to_char(b.turnover, 'FM9999999990.00') END,
  CASE WHEN bench_gen.u(n, 64) < 0.10 THEN NULL
       ELSE floor(-ln(1 - bench_gen.u(n, 65)) * CASE WHEN b.business THEN 9 ELSE 3 END)::int::text END
FROM bench_gen.pools p,
LATERAL (SELECT
    bench_gen.pick(p.first_name, bench_gen.u(n, 66)) AS first,
    bench_gen.pick(p.last_name, bench_gen.u(n, 67)) AS last,
    bench_gen.u(n, 68) < 0.33 AS business,
    c.iso,
    bench_gen.vat(c.iso, hashint8extended(n, 69) & 281474976710655) AS vat,
    round((exp(7.0 + CASE WHEN bench_gen.u(n, 68) < 0.33 THEN 2.2 ELSE 0 END
              + 1.6 * sqrt(-2 * ln(1 - bench_gen.u(n, 70))) * cos(2 * pi() * bench_gen.u(n, 71))))::numeric, 2) AS turnover
  FROM (SELECT CASE WHEN bench_gen.u(n, 72) < 0.0003 THEN (ARRAY['XX','Holland','NLD','D'])[1 + floor(bench_gen.u(n, 73) * 4)::int]
                    WHEN bench_gen.u(n, 72) < 0.0033 THEN NULL
                    ELSE bench_gen.pick(p.country, bench_gen.u(n, 74)) END AS iso OFFSET 0) c
  OFFSET 0) b  -- OFFSET 0: each drawn once, not once per use
$fn$;

-- The customer table as examples/customers.csv's header has it.
DROP TABLE IF EXISTS customers CASCADE;
CREATE TABLE customers AS SELECT * FROM bench_gen.customer_fields(0) WITH NO DATA;
ALTER TABLE customers ADD PRIMARY KEY (id);

INSERT INTO customers SELECT c.* FROM generate_series(1, :rows) n, LATERAL bench_gen.customer_fields(n) c;
VACUUM (ANALYZE) customers;

