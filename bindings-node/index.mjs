// The ES module entry: re-exports the CommonJS loader that napi generated
// (index.js), so `import` and `require` give the very same classes.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const binding = require('./index.js');

export const {
  Engine,
  Segment,
  SegmentSet,
  Setup,
  Customer,
  Classification,
  Reclassification,
  Quote,
  DuplicateIndex,
  errorCodes,
  findDuplicates,
  formatExpression,
  formatPhone,
  readCsv,
  readCsvAsync,
  readJsonLines,
  readJsonLinesAsync,
} = binding;

export default binding;
