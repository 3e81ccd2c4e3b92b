// The package's CommonJS entry: napi's generated loader (index.js) plus what
// is written in JavaScript: the error classes (types/errors.js, which the
// addon runs and throws instances of) and the async batch calls that keep
// the event loop free (async.js).
'use strict';

const binding = require('./index.js');
const asyncBatches = require('./async.js');

asyncBatches.install(binding.Engine);
for (const [name, type] of Object.entries(binding.__errorClasses())) binding[name] = type;

module.exports = binding;
