// A native (sparse, exponential-bucket) histogram and the Prometheus protobuf exposition that
// carries it. prom-client (15.x) exposes classic histograms only, and the text format cannot carry
// a native one, so this writes the io.prometheus.client messages itself: the field numbers are
// those of client_model's metrics.proto (MetricFamily, Metric, LabelPair, Histogram, BucketSpan).
// Prometheus (2.40+, --enable-feature=native-histograms) asks for this format in its Accept header.

export const PROTOBUF_CONTENT_TYPE = 'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited';

/** Whether a scrape's Accept header asks for the delimited protobuf format. */
export function acceptsProtobuf(accept: string | undefined): boolean {
  return (accept ?? '').includes('application/vnd.google.protobuf') && (accept ?? '').includes('io.prometheus.client.MetricFamily');
}

// --- protobuf wire format: varints, zigzag, length-delimited fields ---

function varint(n: bigint): number[] {
  const out: number[] = [];
  let v = BigInt.asUintN(64, n);
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return out;
}

const zigzag = (n: number) => (BigInt(n) << 1n) ^ (BigInt(n) < 0n ? -1n : 0n);
const tag = (field: number, wire: number) => varint(BigInt((field << 3) | wire));

class Message {
  private readonly bytes: number[] = [];
  uint(field: number, n: number): this {
    this.bytes.push(...tag(field, 0), ...varint(BigInt(n)));
    return this;
  }
  sint(field: number, n: number): this {
    this.bytes.push(...tag(field, 0), ...varint(zigzag(n)));
    return this;
  }
  double(field: number, x: number): this {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(x);
    this.bytes.push(...tag(field, 1), ...b);
    return this;
  }
  bytesField(field: number, data: Uint8Array): this {
    this.bytes.push(...tag(field, 2), ...varint(BigInt(data.length)), ...data);
    return this;
  }
  string(field: number, s: string): this {
    return this.bytesField(field, Buffer.from(s, 'utf8'));
  }
  message(field: number, m: Message): this {
    return this.bytesField(field, m.finish());
  }
  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/** MetricType HISTOGRAM in metrics.proto. */
const HISTOGRAM = 4;

/**
 * One native histogram per label set. Schema 3: each power of two is split into 8 buckets, so a
 * bucket is about 9% wide; bucket `i` holds (2^((i-1)/8), 2^(i/8)].
 */
export class NativeHistogram {
  static readonly SCHEMA = 3;
  /** client_golang's default: the zero bucket holds only what is practically zero. */
  static readonly ZERO_THRESHOLD = 2 ** -128;
  private readonly series = new Map<
    string,
    { labels: Record<string, string>; count: number; sum: number; zero: number; buckets: Map<number, number> }
  >();

  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  observe(labels: Record<string, string>, value: number): void {
    const key = JSON.stringify(Object.entries(labels).sort());
    let s = this.series.get(key);
    if (!s) {
      s = { labels, count: 0, sum: 0, zero: 0, buckets: new Map() };
      this.series.set(key, s);
    }
    s.count++;
    s.sum += value;
    if (Math.abs(value) <= NativeHistogram.ZERO_THRESHOLD) {
      s.zero++;
      return;
    }
    // Negative observations (no latency has them) would need negative buckets; refuse them.
    if (value < 0) throw new Error(`${this.name}: negative observation ${value}`);
    const index = Math.ceil(Math.log2(value) * 2 ** NativeHistogram.SCHEMA);
    s.buckets.set(index, (s.buckets.get(index) ?? 0) + 1);
  }

  /** Makes the label set exist with no observation yet (a no-op span marks it native). */
  touch(labels: Record<string, string>): void {
    const key = JSON.stringify(Object.entries(labels).sort());
    if (!this.series.has(key)) this.series.set(key, { labels, count: 0, sum: 0, zero: 0, buckets: new Map() });
  }

  /** The MetricFamily message. */
  family(): Message {
    const fam = new Message().string(1, this.name).string(2, this.help).uint(3, HISTOGRAM);
    for (const s of this.series.values()) {
      const metric = new Message();
      for (const [name, value] of Object.entries(s.labels)) metric.message(1, new Message().string(1, name).string(2, value));
      const h = new Message()
        .uint(1, s.count)
        .double(2, s.sum)
        .sint(5, NativeHistogram.SCHEMA)
        .double(6, NativeHistogram.ZERO_THRESHOLD)
        .uint(7, s.zero);
      const indices = [...s.buckets.keys()].sort((a, b) => a - b);
      if (indices.length === 0) h.message(12, new Message().sint(1, 0).uint(2, 0));
      // Spans of consecutive buckets: the first offset is its index, later ones the gap after the
      // previous span; counts go as deltas from the previous bucket, across spans.
      let prevEnd: number | undefined;
      let start = 0;
      for (let i = 0; i < indices.length; i++) {
        const at = indices[i]!;
        const next = indices[i + 1];
        if (i === 0 || at !== indices[i - 1]! + 1) start = at;
        if (next === undefined || next !== at + 1) {
          h.message(12, new Message().sint(1, prevEnd === undefined ? start : start - prevEnd).uint(2, at - start + 1));
          prevEnd = at + 1;
        }
      }
      let prev = 0;
      for (const i of indices) {
        const c = s.buckets.get(i)!;
        h.sint(13, c - prev);
        prev = c;
      }
      metric.message(7, h);
      fam.message(4, metric);
    }
    return fam;
  }
}

/** Length-delimited MetricFamily messages: the body of a protobuf scrape. */
export function encodeFamilies(families: readonly NativeHistogram[]): Buffer {
  return Buffer.concat(
    families.map((f) => {
      const body = f.family().finish();
      return Buffer.concat([Uint8Array.from(varint(BigInt(body.length))), body]);
    }),
  );
}
