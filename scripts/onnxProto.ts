/**
 * A minimal ONNX `ModelProto` encoder (protobuf wire format written by hand), enough to build the
 * project's tiny test models without Python's `onnx` package. Field numbers follow
 * https://github.com/onnx/onnx/blob/main/onnx/onnx.proto; only the messages a float graph of a
 * few standard operators needs are covered.
 */

/** ONNX `TensorProto.DataType` values used here. */
export const DataType = { FLOAT: 1, INT64: 7 } as const;

/** A graph input or output: name, element type and shape (numbers are fixed, strings symbolic). */
export interface ValueInfo {
  name: string;
  elemType: number;
  shape: (number | string)[];
}

/** A constant tensor (initializer) with float or int64 data. */
export interface Initializer {
  name: string;
  dims: number[];
  dataType: number;
  values: readonly number[];
}

/** One operator node; attributes are ints, int lists or floats. */
export interface NodeSpec {
  opType: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  attributes?: Record<string, number | number[]>;
}

export interface GraphSpec {
  name: string;
  nodes: NodeSpec[];
  initializers: Initializer[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  docString?: string;
}

/** Growable byte buffer with the protobuf primitives. */
class Writer {
  private chunks: number[] = [];

  varint(value: number | bigint): this {
    let v = BigInt.asUintN(64, BigInt(value));
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) byte |= 0x80;
      this.chunks.push(byte);
    } while (v !== 0n);
    return this;
  }

  tag(field: number, wireType: number): this {
    return this.varint((field << 3) | wireType);
  }

  int(field: number, value: number): this {
    return this.tag(field, 0).varint(value);
  }

  bytes(field: number, data: Uint8Array): this {
    this.tag(field, 2).varint(data.length);
    for (const b of data) this.chunks.push(b);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, inner: Writer): this {
    return this.bytes(field, inner.finish());
  }

  float(field: number, value: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.tag(field, 5);
    for (const x of b) this.chunks.push(x);
    return this;
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }
}

function tensorProto(t: Initializer): Writer {
  const w = new Writer();
  for (const d of t.dims) w.int(1, d);
  w.int(2, t.dataType);
  w.string(8, t.name);
  // raw_data: little-endian values, the layout onnxruntime reads directly.
  const size = t.dataType === DataType.FLOAT ? 4 : 8;
  const raw = new Uint8Array(t.values.length * size);
  const view = new DataView(raw.buffer);
  t.values.forEach((v, i) => {
    if (t.dataType === DataType.FLOAT) view.setFloat32(i * 4, v, true);
    else view.setBigInt64(i * 8, BigInt(v), true);
  });
  w.bytes(9, raw);
  return w;
}

function valueInfoProto(v: ValueInfo): Writer {
  const shape = new Writer();
  for (const d of v.shape) {
    const dim = new Writer();
    if (typeof d === 'number') dim.int(1, d);
    else dim.string(2, d);
    shape.message(1, dim);
  }
  const tensorType = new Writer().int(1, v.elemType).message(2, shape);
  const type = new Writer().message(1, tensorType);
  return new Writer().string(1, v.name).message(2, type);
}

function attributeProto(name: string, value: number | number[]): Writer {
  const w = new Writer().string(1, name);
  if (Array.isArray(value)) {
    for (const v of value) w.int(8, v);
    w.int(20, 7); // INTS
  } else if (Number.isInteger(value)) {
    w.int(3, value).int(20, 2); // INT
  } else {
    w.float(2, value).int(20, 1); // FLOAT
  }
  return w;
}

function nodeProto(n: NodeSpec): Writer {
  const w = new Writer();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name ?? `${n.opType}_${n.outputs[0]}`);
  w.string(4, n.opType);
  for (const [k, v] of Object.entries(n.attributes ?? {})) w.message(5, attributeProto(k, v));
  return w;
}

/**
 * Encodes a graph as an ONNX model (IR version 8, default opset `opset`).
 *
 * @example writeFileSync('model.onnx', encodeModel({ name: 'g', nodes, initializers, inputs, outputs }))
 */
export function encodeModel(graph: GraphSpec, opset = 13): Uint8Array {
  const g = new Writer();
  for (const n of graph.nodes) g.message(1, nodeProto(n));
  g.string(2, graph.name);
  for (const t of graph.initializers) g.message(5, tensorProto(t));
  if (graph.docString) g.string(10, graph.docString);
  for (const i of graph.inputs) g.message(11, valueInfoProto(i));
  for (const o of graph.outputs) g.message(12, valueInfoProto(o));
  const model = new Writer();
  model.int(1, 8); // ir_version
  model.string(2, 'icd-kg scripts/make-tiny-onnx.ts');
  model.string(3, '1');
  model.int(5, 1); // model_version
  model.message(7, g);
  model.message(8, new Writer().string(1, '').int(2, opset));
  return model.finish();
}
