// Arrow values made by another copy of apache-arrow than taskloaf's (the
// app's own, when npm could not give both one copy: a `file:` dependency,
// npm link, a monorepo, a version outside taskloaf's peer range). Their
// classes fail taskloaf's instanceof, and apache-arrow's writer dispatches on
// it, so they are recognised by shape and re-wrapped in taskloaf's classes
// over the same buffers (no byte is copied); the IPC stream is then written
// as for taskloaf's own values. Receivers get taskloaf's classes.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';
import {
  Binary,
  BinaryView,
  Bool,
  Data,
  DataType,
  Date_,
  Decimal,
  Dictionary,
  Duration,
  Field,
  FixedSizeBinary,
  FixedSizeList,
  Float,
  Int,
  Interval,
  LargeBinary,
  LargeList,
  LargeUtf8,
  List,
  Map_,
  Null,
  RecordBatch,
  Schema,
  Struct,
  Table,
  Time,
  Timestamp,
  Type,
  Union,
  Utf8,
  Utf8View,
  Vector,
} from 'apache-arrow';
import { TaskloafError } from '../../errors.js';

// Kinds as in arrow.ts's ArrowKind (not imported: arrow.ts imports this file).
const TABLE = 0;
const RECORD_BATCH = 1;
const VECTOR = 2;
const DATA = 3;

type Any = Record<string | symbol, unknown> & { [k: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

// apache-arrow 21.2+ marks its classes with these (shared across copies: Symbol.for).
const MARKS = [Symbol.for('apache-arrow/Table'), Symbol.for('apache-arrow/RecordBatch'), Symbol.for('apache-arrow/Vector'), Symbol.for('apache-arrow/Data')];

const isType = (t: unknown): boolean => typeof t === 'object' && t !== null && typeof (t as Any).typeId === 'number' && typeof (t as Any)[Symbol.toStringTag] === 'string';
const isData = (d: Any): boolean => typeof d === 'object' && d !== null && isType(d.type) && typeof d.length === 'number' && typeof d.offset === 'number' && typeof d.stride === 'number' && Array.isArray(d.children);
const isSchema = (s: Any): boolean => typeof s === 'object' && s !== null && Array.isArray(s.fields) && s.fields.every((f: Any) => typeof f?.name === 'string' && isType(f.type));

/**
 * The kind of an Arrow value of another copy of apache-arrow, or -1. Named
 * by the copy's marks or class names (Table and RecordBatch carry theirs on
 * the class, Vector on the instance), then checked by shape: a value that
 * says it is Arrow but has another shape is of a version taskloaf cannot read.
 */
export function foreignKind(v: Any): number {
  let kind = MARKS.findIndex((m) => v[m] === true);
  if (kind < 0) {
    const named = (v.constructor as unknown as Any | undefined)?.[Symbol.toStringTag];
    const own = v[Symbol.toStringTag];
    if (named === 'Table') kind = TABLE;
    else if (named === 'RecordBatch') kind = RECORD_BATCH;
    else if (typeof own === 'string' && /^\w*Vector(<|$)/.test(own)) kind = VECTOR;
    else if (isData(v) && ('values' in v || 'nullBitmap' in v)) return DATA;
    else return -1;
  }
  const fits =
    kind === TABLE ? isSchema(v.schema) && Array.isArray(v.batches) && v.batches.every((b: Any) => isData(b?.data))
    : kind === RECORD_BATCH ? isSchema(v.schema) && isData(v.data)
    : kind === VECTOR ? isType(v.type) && Array.isArray(v.data) && v.data.every(isData)
    : isData(v);
  if (!fits) throw unsupported(`a ${['Table', 'RecordBatch', 'Vector', 'Data'][kind]} of another shape than taskloaf knows`);
  return kind;
}

/** The value in taskloaf's classes, over the same buffers. */
export function adopt(v: Any, kind: number): Table | RecordBatch | Vector | Data {
  const a = new Adopter();
  switch (kind) {
    case TABLE: {
      const schema = a.schema(v.schema);
      return new Table(schema, v.batches.map((b: Any) => new RecordBatch(schema, a.data(b.data) as Data<Struct>)));
    }
    case RECORD_BATCH:
      return new RecordBatch(a.schema(v.schema), a.data(v.data) as Data<Struct>);
    case VECTOR:
      return a.vector(v);
    default:
      return a.data(v);
  }
}

class Adopter {
  // One foreign type object, one of ours (batches share their schema's types).
  private types = new Map<unknown, DataType>();

  schema(s: Any): Schema {
    return new Schema(s.fields.map((f: Any) => this.field(f)), s.metadata instanceof Map ? new Map(s.metadata) : undefined);
  }

  field(f: Any): Field {
    return new Field(f.name, this.type(f.type), f.nullable === true, f.metadata instanceof Map ? new Map(f.metadata) : undefined);
  }

  vector(v: Any): Vector {
    return new Vector((v.data as Any[]).map((d) => this.data(d)));
  }

  data(d: Any): Data {
    const nullCount = typeof d._nullCount === 'number' ? d._nullCount : d.nullCount;
    const variadic = Array.isArray(d.variadicBuffers) ? d.variadicBuffers : [];
    return new Data(
      this.type(d.type),
      d.offset,
      d.length,
      nullCount,
      [d.valueOffsets, d.values, d.nullBitmap, d.typeIds] as never,
      (d.children as Any[]).map((c) => this.data(c)),
      d.dictionary ? this.vector(d.dictionary) : undefined,
      variadic,
    );
  }

  type(t: Any): DataType {
    let own = this.types.get(t);
    if (!own) {
      own = this.make(t);
      this.types.set(t, own);
    }
    return own;
  }

  private make(t: Any): DataType {
    const child = () => this.field(t.children[0]);
    switch (t.typeId as Type) {
      case Type.Null: return new Null();
      case Type.Int: return new Int(t.isSigned, t.bitWidth);
      case Type.Float: return new Float(t.precision);
      case Type.Binary: return new Binary();
      case Type.LargeBinary: return new LargeBinary();
      case Type.BinaryView: return new BinaryView();
      case Type.Utf8: return new Utf8();
      case Type.LargeUtf8: return new LargeUtf8();
      case Type.Utf8View: return new Utf8View();
      case Type.Bool: return new Bool();
      case Type.Decimal: return new Decimal(t.scale, t.precision, t.bitWidth);
      case Type.Date: return new Date_(t.unit);
      case Type.Time: return new Time(t.unit, t.bitWidth);
      case Type.Timestamp: return new Timestamp(t.unit, t.timezone);
      case Type.Interval: return new Interval(t.unit);
      case Type.Duration: return new Duration(t.unit);
      case Type.List: return new List(child());
      case Type.LargeList: return new LargeList(child());
      case Type.FixedSizeList: return new FixedSizeList(t.listSize, child());
      case Type.Struct: return new Struct((t.children as Any[]).map((f) => this.field(f)));
      case Type.Union: return new Union(t.mode, Array.from(t.typeIds as ArrayLike<number>), (t.children as Any[]).map((f) => this.field(f)));
      case Type.FixedSizeBinary: return new FixedSizeBinary(t.byteWidth);
      case Type.Map: return new Map_(child() as Field<Struct>, t.keysSorted);
      case Type.Dictionary: return new Dictionary(this.type(t.dictionary), this.type(t.indices) as never, t.id, t.isOrdered);
      default:
        throw unsupported(`a column of type ${String(t)} (type id ${t.typeId as number})`);
    }
  }
}

// The version of the apache-arrow that `from` (a file) resolves, or undefined.
function versionFrom(from: string): string | undefined {
  try {
    let dir = dirname(createRequire(from).resolve('apache-arrow'));
    for (let i = 0; i < 4; i++, dir = dirname(dir)) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'apache-arrow') return pkg.version;
      } catch {
        // not here: one directory up
      }
    }
  } catch {
    // the program does not resolve apache-arrow itself
  }
  return undefined;
}

/** taskloaf's apache-arrow version, and the program's (what its main file resolves), when they are known. */
export function arrowVersions(): { taskloaf: string | undefined; program: string | undefined } {
  const main = process.argv[1];
  return { taskloaf: versionFrom(import.meta.url), program: main ? versionFrom(main) : undefined };
}

function unsupported(what: string): TaskloafError {
  const { taskloaf, program } = arrowVersions();
  const theirs = program && program !== taskloaf ? `apache-arrow ${program} (the program's copy)` : 'another copy of apache-arrow';
  return new TaskloafError('ERR_ARROW_UNSUPPORTED', `${what}, made by ${theirs}, cannot be read by taskloaf's apache-arrow ${taskloaf ?? '(version unknown)'}: install one version of apache-arrow in taskloaf's supported range (see package.json peerDependencies)`);
}
