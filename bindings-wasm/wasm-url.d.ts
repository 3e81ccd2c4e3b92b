// `import wasmUrl from 'custclass-wasm/custclass_wasm_bg.wasm'`: the URL a
// bundler gives the WebAssembly module it copies next to the bundle
// (esbuild `--loader:.wasm=file`, Vite `?url`, webpack `asset/resource`),
// for `await init({ module_or_path: wasmUrl })`.
declare const wasmUrl: string;
export default wasmUrl;
