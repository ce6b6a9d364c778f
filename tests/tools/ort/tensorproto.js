'use strict';
// Minimal onnx.TensorProto reader/writer for the ORT oracle (only the fields a node-test .pb file uses:
// dims=1, data_type=2, float_data=4, int32_data=5, int64_data=7, name=8, raw_data=9, double_data=10,
// uint64_data=11). Little-endian payloads, packed or unpacked repeated fields.

// ONNX TensorProto.DataType code -> onnxruntime-node tensor type name and typed-array constructor.
const TYPES = {
  1: ['float32', Float32Array],
  2: ['uint8', Uint8Array],
  3: ['int8', Int8Array],
  4: ['uint16', Uint16Array],
  5: ['int16', Int16Array],
  6: ['int32', Int32Array],
  7: ['int64', BigInt64Array],
  9: ['bool', Uint8Array],
  10: ['float16', Uint16Array],
  11: ['float64', Float64Array],
  12: ['uint32', Uint32Array],
  13: ['uint64', BigUint64Array],
};

const CODES = Object.fromEntries(Object.entries(TYPES).map(([code, [name]]) => [name, Number(code)]));

class Reader {
  constructor(buf) { this.buf = buf; this.pos = 0; }
  eof() { return this.pos >= this.buf.length; }
  varint() {
    let result = 0n; let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error('truncated varint');
      const b = this.buf[this.pos++];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 70n) throw new Error('varint too long');
    }
  }
  bytes(n) {
    if (this.pos + n > this.buf.length) throw new Error('truncated field');
    const s = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return s;
  }
  skip(wire) {
    if (wire === 0) this.varint();
    else if (wire === 1) this.bytes(8);
    else if (wire === 2) this.bytes(Number(this.varint()));
    else if (wire === 5) this.bytes(4);
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

function signed64(v) { return BigInt.asIntN(64, v); }

// Reads a repeated scalar field occurrence (packed when wire type 2) and pushes decoded values.
function readRepeated(r, wire, out, scalarWire, decode) {
  if (wire === 2) {
    const sub = new Reader(r.bytes(Number(r.varint())));
    while (!sub.eof()) out.push(decode(sub));
  } else if (wire === scalarWire) {
    out.push(decode(r));
  } else {
    r.skip(wire);
  }
}

function parseTensorProto(buf) {
  const r = new Reader(buf);
  const dims = []; const floats = []; const int32s = []; const int64s = []; const doubles = []; const uint64s = [];
  let dataType = 0; let name = ''; let raw = null;
  const f32 = (x) => { const b = x.bytes(4); return Buffer.from(b).readFloatLE(0); };
  const f64 = (x) => { const b = x.bytes(8); return Buffer.from(b).readDoubleLE(0); };
  while (!r.eof()) {
    const key = Number(r.varint());
    const field = key >>> 3; const wire = key & 7;
    switch (field) {
      case 1: readRepeated(r, wire, dims, 0, (x) => Number(signed64(x.varint()))); break;
      case 2: dataType = Number(r.varint()); break;
      case 4: readRepeated(r, wire, floats, 5, f32); break;
      case 5: readRepeated(r, wire, int32s, 0, (x) => Number(BigInt.asIntN(32, x.varint()))); break;
      case 7: readRepeated(r, wire, int64s, 0, (x) => signed64(x.varint())); break;
      case 8: name = Buffer.from(r.bytes(Number(r.varint()))).toString('utf8'); break;
      case 9: raw = r.bytes(Number(r.varint())); break;
      case 10: readRepeated(r, wire, doubles, 1, f64); break;
      case 11: readRepeated(r, wire, uint64s, 0, (x) => BigInt.asUintN(64, x.varint())); break;
      default: r.skip(wire);
    }
  }
  const spec = TYPES[dataType];
  if (!spec) throw new Error(`unsupported TensorProto data_type ${dataType}`);
  const [type, Ctor] = spec;
  const count = dims.reduce((a, b) => a * b, 1);
  let data;
  if (raw !== null) {
    const copy = new Uint8Array(raw); // aligned copy
    data = new Ctor(copy.buffer, copy.byteOffset, copy.byteLength / Ctor.BYTES_PER_ELEMENT);
  } else if (dataType === 1) data = Float32Array.from(floats);
  else if (dataType === 11) data = Float64Array.from(doubles);
  else if (dataType === 7) data = BigInt64Array.from(int64s);
  else if (dataType === 13) data = BigUint64Array.from(uint64s);
  else data = Ctor.from(int32s); // int32_data holds int8/16/32, uint8/16, bool and float16 bits
  if (data.length !== count) throw new Error(`tensor '${name}' has ${data.length} values for dims [${dims}]`);
  return { name, type, dims, data };
}

function varintBytes(v) {
  let x = BigInt.asUintN(64, BigInt(v));
  const out = [];
  do {
    let b = Number(x & 0x7fn); x >>= 7n;
    if (x !== 0n) b |= 0x80;
    out.push(b);
  } while (x !== 0n);
  return out;
}

function lengthDelimited(field, bytes) {
  return Buffer.concat([Buffer.from([...varintBytes((field << 3) | 2), ...varintBytes(bytes.length)]), Buffer.from(bytes)]);
}

// Serializes {name, type, dims, data} as a TensorProto with raw_data.
function writeTensorProto(t) {
  const code = CODES[t.type];
  if (!code) throw new Error(`cannot write tensor type ${t.type}`);
  const dims = []; for (const d of t.dims) dims.push(...varintBytes(d));
  const parts = [];
  if (t.dims.length > 0) parts.push(lengthDelimited(1, Buffer.from(dims)));
  parts.push(Buffer.from([...varintBytes((2 << 3) | 0), ...varintBytes(code)]));
  if (t.name) parts.push(lengthDelimited(8, Buffer.from(t.name, 'utf8')));
  parts.push(lengthDelimited(9, rawBytes(t)));
  return Buffer.concat(parts);
}

function rawBytes(t) {
  const d = t.data;
  return Buffer.from(d.buffer, d.byteOffset, d.byteLength);
}

function typedArrayFor(type, bytes) {
  const entry = Object.values(TYPES).find(([n]) => n === type);
  if (!entry) throw new Error(`unsupported tensor type ${type}`);
  const Ctor = entry[1];
  const copy = new Uint8Array(bytes);
  if (copy.byteLength % Ctor.BYTES_PER_ELEMENT !== 0) throw new Error(`raw ${type} data has ${copy.byteLength} bytes`);
  return new Ctor(copy.buffer, copy.byteOffset, copy.byteLength / Ctor.BYTES_PER_ELEMENT);
}

module.exports = { parseTensorProto, writeTensorProto, rawBytes, typedArrayFor };
