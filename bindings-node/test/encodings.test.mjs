// The encodings of customer files as Excel and ERP systems write them:
// readCsv(data, {encoding}) and readCsvAsync likewise, and the byte-order
// marks that decide alone.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { readCsv, readCsvAsync } from 'custclass';

/** `text` as UTF-16LE with a byte-order mark (Excel's "Unicode text"). */
function utf16le(text) {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}

test('UTF-16LE with a byte-order mark, tab-separated', async () => {
  const file = utf16le('id\tname\tcity\r\n1\tMüller GmbH\tKöln\r\n2\tŒuvre €\t\r\n');
  const rows = readCsv(file);
  assert.deepEqual(rows, [
    { line: 2, customer: { id: '1', name: 'Müller GmbH', billing_address: { city: 'Köln' } } },
    { line: 3, customer: { id: '2', name: 'Œuvre €' } },
  ]);
  // The mark decides, whatever the option says.
  assert.deepEqual(readCsv(file, { encoding: 'windows-1252' }), rows);
  assert.deepEqual(await readCsvAsync(file), rows);
});

test('windows-1252 read with its encoding', async () => {
  // Excel's plain "CSV" in western Europe: windows-1252, no mark.
  const file = Buffer.from('id;name;attr.note\r\n1;M\xfcller;\x80 5\r\n', 'latin1');
  const expected = [{ line: 2, customer: { id: '1', name: 'Müller', attributes: { note: '€ 5' } } }];
  assert.deepEqual(readCsv(file, { encoding: 'windows-1252' }), expected);
  assert.deepEqual(readCsv(file, { encoding: 'CP1252' }), expected);
  assert.deepEqual(await readCsvAsync(file, { encoding: 'windows-1252' }), expected);
});

test('windows-1252 without the option: the problem names the encoding to give', () => {
  const rows = readCsv(Buffer.from('id;name\n1;M\xfcller\n2;Smit\n', 'latin1'));
  const [problem] = rows[0].errors;
  assert.deepEqual([problem.code, problem.column, problem.line, problem.row], ['invalid_utf8', 'name', 2, 0]);
  assert.match(problem.message, /windows-1252/);
  assert.deepEqual(rows[1], { line: 3, customer: { id: '2', name: 'Smit' } });
});

test('latin1', () => {
  const file = Buffer.from('id;name\n1;Ren\xe9e \xbd\n', 'latin1');
  const expected = [{ line: 2, customer: { id: '1', name: 'Renée ½' } }];
  assert.deepEqual(readCsv(file, { encoding: 'latin1' }), expected);
  assert.deepEqual(readCsv(file, { encoding: 'ISO-8859-1' }), expected);
});

test('no options, empty options and a null encoding read UTF-8', () => {
  const expected = readCsv('id;name\n1;Müller\n');
  assert.equal(expected[0].customer.name, 'Müller');
  for (const options of [undefined, null, {}, { encoding: undefined }, { encoding: null }]) {
    assert.deepEqual(readCsv('id;name\n1;Müller\n', options), expected);
  }
});

/** The TableError of an unknown encoding. */
function unknownEncoding(err) {
  assert.ok(err instanceof Error);
  assert.equal(err.name, 'TableError');
  assert.equal(err.code, 'unknown_encoding');
  assert.deepEqual(Object.keys(err.data).sort(), ['code', 'encoding', 'message']);
  assert.equal(err.data.encoding, 'ansi');
  assert.equal(err.message, err.data.message);
  for (const label of ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252', 'latin1']) {
    assert.ok(err.message.includes(label), err.message);
  }
  return true;
}

test('an unknown encoding throws, or rejects, with a TableError', async () => {
  assert.throws(() => readCsv('id\n1\n', { encoding: 'ansi' }), unknownEncoding);
  await assert.rejects(readCsvAsync('id\n1\n', { encoding: 'ansi' }), unknownEncoding);
});

test('options of the wrong kind are TypeErrors', () => {
  assert.throws(() => readCsv('id\n1\n', 'latin1'), (err) => err instanceof TypeError && /options must be an object/.test(err.message));
  assert.throws(() => readCsv('id\n1\n', { encoding: 1252 }), (err) => err instanceof TypeError && /options.encoding must be a string/.test(err.message));
  assert.throws(() => readCsvAsync('id\n1\n', { encoding: true }), TypeError);
});
