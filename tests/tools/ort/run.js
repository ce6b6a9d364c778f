'use strict';
// ONNX Runtime (CPU, 1 thread) as a test oracle. Two modes:
//
//   node run.js --manifest cases.json
//     Runs many models in one process (the C# OrtOracle test helper uses this). cases.json:
//       { "graphOptimizationLevel": "disabled",            // optional: disabled | basic | extended | all
//         "results": "results.json",                        // optional; default <manifest>.results.json
//         "cases": [ { "name": "c0", "model": "m.onnx", "outputDir": "out/c0",
//                      "inputs": [ { "name": "x",           // optional; else bound by position
//                                    "raw": "x.bin", "type": "float32", "dims": [1, 3] }  // raw little-endian
//                                  | { "pb": "input_0.pb" } ] } ] }                        // or a TensorProto
//     Writes <outputDir>/output_<k>.bin (raw little-endian) and a results file:
//       { "ortVersion": "...", "cases": [ { "name", "error": null | "message",
//                                           "outputs": [ { "name", "type", "dims", "file" } ] } ] }
//     A failing case records its error and the others still run. Exit code 0 unless the manifest is unusable.
//
//   node run.js model.onnx input_0.pb [input_1.pb ...] --output-dir DIR
//     Node-test format: inputs bound by position, writes DIR/output_<k>.pb (TensorProto, raw_data).
const fs = require('fs');
const path = require('path');
const { parseTensorProto, writeTensorProto, rawBytes, typedArrayFor } = require('./tensorproto');

function loadOrt() {
  try {
    return require('onnxruntime-node');
  } catch (e) {
    process.stderr.write(`run.js: onnxruntime-node is not installed (npm ci --ignore-scripts in ${__dirname}): ${e.message}\n`);
    process.exit(3);
  }
}

const ort = loadOrt();

function sessionOptions(level) {
  return {
    executionProviders: ['cpu'],
    graphOptimizationLevel: level || 'disabled',
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    logSeverityLevel: 3,
  };
}

function toOrtTensor(t) {
  return new ort.Tensor(t.type, t.data, t.dims);
}

function readInput(spec, baseDir) {
  if (spec.pb) {
    return parseTensorProto(fs.readFileSync(path.resolve(baseDir, spec.pb)));
  }
  const bytes = fs.readFileSync(path.resolve(baseDir, spec.raw));
  return { name: spec.name || '', type: spec.type, dims: spec.dims, data: typedArrayFor(spec.type, bytes) };
}

async function runModel(modelPath, inputs, level) {
  const session = await ort.InferenceSession.create(modelPath, sessionOptions(level));
  try {
    const names = session.inputNames;
    if (inputs.length !== names.length) {
      throw new Error(`model has ${names.length} inputs (${names.join(', ')}), ${inputs.length} given`);
    }
    const feeds = {};
    inputs.forEach((t, i) => {
      const name = t.bindName || names[i];
      feeds[name] = toOrtTensor(t);
    });
    const results = await session.run(feeds);
    return session.outputNames.map((name) => {
      const r = results[name];
      return { name, type: r.type, dims: Array.from(r.dims, Number), data: r.data };
    });
  } finally {
    if (session.release) await session.release();
  }
}

async function runManifest(manifestPath) {
  const baseDir = path.dirname(path.resolve(manifestPath));
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  const out = { ortVersion: ort.env.versions ? ort.env.versions.node : 'unknown', cases: [] };
  for (const c of manifest.cases) {
    const entry = { name: c.name, error: null, outputs: [] };
    try {
      const inputs = (c.inputs || []).map((spec) => {
        const t = readInput(spec, baseDir);
        t.bindName = spec.name;
        return t;
      });
      const outputs = await runModel(path.resolve(baseDir, c.model), inputs, manifest.graphOptimizationLevel);
      const dir = path.resolve(baseDir, c.outputDir || `${c.name}.out`);
      fs.mkdirSync(dir, { recursive: true });
      outputs.forEach((o, k) => {
        const file = path.join(dir, `output_${k}.bin`);
        fs.writeFileSync(file, rawBytes(o));
        entry.outputs.push({ name: o.name, type: o.type, dims: o.dims, file });
      });
    } catch (e) {
      entry.error = String(e && e.message ? e.message : e);
    }
    out.cases.push(entry);
  }
  const resultsPath = path.resolve(baseDir, manifest.results || `${path.basename(manifestPath)}.results.json`);
  fs.writeFileSync(resultsPath, JSON.stringify(out));
}

async function runSingle(args) {
  const dirIndex = args.indexOf('--output-dir');
  if (dirIndex < 0 || dirIndex + 1 >= args.length) usage();
  const outDir = args[dirIndex + 1];
  const positional = args.filter((_, i) => i !== dirIndex && i !== dirIndex + 1);
  if (positional.length < 1) usage();
  const [model, ...inputFiles] = positional;
  const inputs = inputFiles.map((f) => parseTensorProto(fs.readFileSync(f)));
  const outputs = await runModel(model, inputs, 'disabled');
  fs.mkdirSync(outDir, { recursive: true });
  outputs.forEach((o, k) => fs.writeFileSync(path.join(outDir, `output_${k}.pb`), writeTensorProto(o)));
}

function usage() {
  process.stderr.write('usage: node run.js --manifest cases.json\n       node run.js model.onnx [input_0.pb ...] --output-dir DIR\n');
  process.exit(2);
}

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--manifest' && args.length === 2) await runManifest(args[1]);
  else if (args.length >= 3) await runSingle(args);
  else usage();
}

main().catch((e) => {
  process.stderr.write(`run.js: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
