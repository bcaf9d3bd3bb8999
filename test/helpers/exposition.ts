// Reading a scrape body back into samples: the text format, and the delimited protobuf format
// (names and label sets only) that native histograms need. Tests use it to check what the demo
// workload serves.

export interface Served {
  name: string;
  labels: Record<string, string>;
}

/** Parses `name{labels} value` lines of the text exposition format. */
export function textSamples(text: string): Array<Served & { value: number }> {
  return text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((line) => {
      const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line)!;
      const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1]!, x[2]!]));
      return { name: m[1]!, labels, value: Number(m[3]) };
    });
}

/** Field number -> raw values of one protobuf message (varints as bigint, length-delimited as bytes). */
function fields(buf: Uint8Array): Map<number, Array<bigint | Uint8Array>> {
  const out = new Map<number, Array<bigint | Uint8Array>>();
  let i = 0;
  const varint = (): bigint => {
    let v = 0n;
    let shift = 0n;
    for (;;) {
      const b = buf[i++]!;
      v |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return v;
      shift += 7n;
    }
  };
  while (i < buf.length) {
    const key = Number(varint());
    const field = key >> 3;
    const wire = key & 7;
    let value: bigint | Uint8Array;
    if (wire === 0) value = varint();
    else if (wire === 1) value = buf.slice(i, (i += 8));
    else if (wire === 2) {
      const n = Number(varint());
      value = buf.slice(i, (i += n));
    } else if (wire === 5) value = buf.slice(i, (i += 4));
    else throw new Error(`unsupported wire type ${wire}`);
    out.set(field, [...(out.get(field) ?? []), value]);
  }
  return out;
}

const text = (b: bigint | Uint8Array | undefined) => (b instanceof Uint8Array ? Buffer.from(b).toString('utf8') : '');

/** Every metric of a delimited MetricFamily stream: its family name and label set. */
export function protobufSeries(body: Uint8Array): Served[] {
  const out: Served[] = [];
  let i = 0;
  while (i < body.length) {
    let len = 0;
    let shift = 0;
    for (;;) {
      const b = body[i++]!;
      len |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
      shift += 7;
    }
    const family = fields(body.slice(i, (i += len)));
    const name = text(family.get(1)?.[0]);
    for (const metric of family.get(4) ?? []) {
      const m = fields(metric as Uint8Array);
      const labels: Record<string, string> = {};
      for (const pair of m.get(1) ?? []) {
        const p = fields(pair as Uint8Array);
        labels[text(p.get(1)?.[0])] = text(p.get(2)?.[0]);
      }
      out.push({ name, labels });
    }
  }
  return out;
}
