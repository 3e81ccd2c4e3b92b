// Renders index.d.ts and index.js the way `napi build --platform` does, from
// the type definitions napi-derive wrote while the crate compiled (with
// NAPI_TYPE_DEF_TMP_FOLDER set, as scripts/suite-node does for its plain
// `cargo build`). It calls the same functions of the pinned @napi-rs/cli that
// `napi build` calls, without its second, separate cargo build.
//
//   node scripts/generated.mjs TYPEDEF_DIR OUT_DIR   writes both files to OUT_DIR
import { generateTypeDef, readNapiConfig, writeJsBinding } from '@napi-rs/cli';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of the package (bindings-node). */
export const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Writes `index.d.ts` and `index.js` generated from `typeDefDir` into `outDir`. */
export async function generate(typeDefDir, outDir) {
  const crate = join(typeDefDir, 'custclass-node');
  if (!existsSync(crate) || readFileSync(crate, 'utf8').trim() === '') {
    throw new Error(`no type definitions in ${crate}: build with NAPI_TYPE_DEF_TMP_FOLDER=${typeDefDir} (scripts/suite-node does)`);
  }
  const config = await readNapiConfig(join(packageDir, 'package.json'));
  const { exports, dts } = await generateTypeDef({
    typeDefDir,
    configDtsHeaderFile: config.dtsHeaderFile,
    cwd: packageDir,
    // `napi build --platform` declares `__napiBindingTarget` for its loader.
    declareBindingTarget: (idents) => idents.length > 0,
  });
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'index.d.ts'), dts, 'utf8');
  await writeJsBinding({
    platform: true,
    idents: exports,
    binaryName: config.binaryName,
    packageName: config.packageName,
    version: config.packageJson.version,
    outputDir: outDir,
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [typeDefDir, outDir] = process.argv.slice(2);
  if (!typeDefDir || !outDir) {
    console.error('usage: node scripts/generated.mjs TYPEDEF_DIR OUT_DIR');
    process.exit(2);
  }
  await generate(resolve(typeDefDir), resolve(outDir));
}
