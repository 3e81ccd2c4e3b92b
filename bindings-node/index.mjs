// The ES module entry: re-exports the CommonJS entry (main.js: napi's
// generated loader plus the error classes and async batch calls), so
// `import` and `require` give the very same classes.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const binding = require('./main.js');

export const {
  Engine,
  Segment,
  SegmentSet,
  Setup,
  Customer,
  Classification,
  Reclassification,
  Quote,
  Imported,
  Exported,
  DuplicateIndex,
  errorCodes,
  findDuplicates,
  formatExpression,
  formatPhone,
  fromShopify,
  fromWooCommerce,
  fromMagento,
  verifyShopifyWebhook,
  verifyWooCommerceWebhook,
  readCsv,
  readCsvAsync,
  readJsonLines,
  readJsonLinesAsync,
  CustclassError,
  SetupError,
  ExpressionError,
  CustomerError,
  PricingError,
  TableError,
  ConnectError,
  InternalError,
} = binding;

export default binding;
